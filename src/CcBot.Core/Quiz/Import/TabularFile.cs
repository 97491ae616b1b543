using System.Globalization;
using CsvHelper;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace CcBot.Core.Quiz.Import;

/// <summary>A table read from a file: header names (lower case, trimmed) and rows numbered as the organizer sees them (header = row 1).</summary>
public sealed record TabularData(IReadOnlyList<string> Headers, IReadOnlyList<TabularRow> Rows, string? SheetError = null);

public sealed record TabularRow(int Number, IReadOnlyList<string> Cells)
{
    public string Get(int column) => column >= 0 && column < Cells.Count ? Cells[column].Trim() : string.Empty;
}

/// <summary>
/// Reads CSV (CsvHelper) and XLSX. XLSX goes through the Open XML SDK directly: ClosedXML 0.95.4 is built against
/// DocumentFormat.OpenXml 2.x and fails at run time with the 3.x the solution already uses (ClosedXML issue #2315).
/// </summary>
public static class TabularFile
{
    /// <summary>The sheet a question bank workbook must hold.</summary>
    public const string QuestionSheet = "questions";

    public static TabularData Read(string path, string sheetName = QuestionSheet)
    {
        var ext = Path.GetExtension(path).ToLowerInvariant();
        return ext switch
        {
            ".csv" => ReadCsv(path),
            ".xlsx" => ReadXlsx(path, sheetName),
            _ => throw new InvalidDataException($"Unsupported file type '{ext}': use .csv or .xlsx."),
        };
    }

    public static TabularData ReadCsv(string path)
    {
        using var text = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        using var csv = CsvReader.Create(text, new CsvReaderOptions { HasHeader = false, SkipEmptyLines = false }, leaveOpen: false);
        var rows = new List<TabularRow>();
        IReadOnlyList<string>? headers = null;
        var number = 0;
        while (csv.Read())
        {
            number++;
            var record = new string[csv.FieldCount];
            for (var i = 0; i < record.Length; i++)
            {
                record[i] = csv.GetString(i);
            }

            if (headers is null)
            {
                headers = record.Select(NormalizeHeader).ToArray();
                continue;
            }

            if (record.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            rows.Add(new TabularRow(number, record));
        }

        return new TabularData(headers ?? [], rows);
    }

    public static TabularData ReadXlsx(string path, string sheetName)
    {
        using var doc = SpreadsheetDocument.Open(path, false);
        var workbook = doc.WorkbookPart ?? throw new InvalidDataException("The workbook has no workbook part.");
        var sheets = workbook.Workbook.Sheets?.Elements<Sheet>().ToList() ?? [];
        var sheet = sheets.FirstOrDefault(s => string.Equals(s.Name?.Value?.Trim(), sheetName, StringComparison.OrdinalIgnoreCase));
        if (sheet?.Id?.Value is not { } relId)
        {
            var found = string.Join(", ", sheets.Select(s => "'" + s.Name?.Value + "'"));
            return new TabularData([], [], $"no sheet named '{sheetName}' (found {found})");
        }

        var part = (WorksheetPart)workbook.GetPartById(relId);
        var shared = workbook.SharedStringTablePart?.SharedStringTable?.Elements<SharedStringItem>().Select(i => i.InnerText).ToArray() ?? [];
        IReadOnlyList<string>? headers = null;
        var rows = new List<TabularRow>();
        foreach (var row in part.Worksheet?.Descendants<Row>() ?? [])
        {
            var cells = new List<string>();
            foreach (var cell in row.Elements<Cell>())
            {
                var column = ColumnIndex(cell.CellReference?.Value, cells.Count);
                while (cells.Count < column)
                {
                    cells.Add(string.Empty);
                }

                cells.Add(CellText(cell, shared));
            }

            var number = (int)(row.RowIndex?.Value ?? (uint)(rows.Count + 2));
            if (headers is null)
            {
                headers = cells.Select(NormalizeHeader).ToArray();
                continue;
            }

            if (cells.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            rows.Add(new TabularRow(number, cells));
        }

        return new TabularData(headers ?? [], rows);
    }

    /// <summary>
    /// Writes a report of two tables: one workbook with two sheets when <paramref name="path"/> ends in .xlsx, else
    /// two CSV files (UTF-8 with BOM, for Excel): <paramref name="path"/> and <c>{name}{secondCsvSuffix}.csv</c> beside it.
    /// Returns the files written.
    /// </summary>
    public static IReadOnlyList<string> WriteReport(string path, TableSheet first, TableSheet second, string secondCsvSuffix)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        if (Path.GetExtension(path).Equals(".xlsx", StringComparison.OrdinalIgnoreCase))
        {
            WriteXlsx(path, [first, second]);
            return [path];
        }

        var secondPath = Path.Combine(folder, Path.GetFileNameWithoutExtension(path) + secondCsvSuffix + ".csv");
        WriteCsv(path, first);
        WriteCsv(secondPath, second);
        return [path, secondPath];
    }

    public static void WriteCsv(string path, TableSheet table)
    {
        using var text = new StreamWriter(path, false, new System.Text.UTF8Encoding(true));
        using var csv = CsvWriter.Create(text, new CsvWriterOptions(), leaveOpen: false);
        csv.WriteRecord(table.Header.ToArray());
        foreach (var row in table.Rows)
        {
            csv.WriteRecord(row.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? string.Empty).ToArray());
        }

        csv.Flush();
    }

    /// <summary>Writes a workbook with one sheet per entry: strings as inline strings, numbers as numbers.</summary>
    public static void WriteXlsx(string path, IEnumerable<TableSheet> sheets)
    {
        using var doc = SpreadsheetDocument.Create(path, SpreadsheetDocumentType.Workbook);
        var workbookPart = doc.AddWorkbookPart();
        workbookPart.Workbook = new Workbook();
        var sheetList = workbookPart.Workbook.AppendChild(new Sheets());
        uint id = 1;
        foreach (var sheet in sheets)
        {
            var part = workbookPart.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            data.AppendChild(MakeRow(sheet.Header.Cast<object?>().ToArray()));
            foreach (var row in sheet.Rows)
            {
                data.AppendChild(MakeRow(row));
            }

            part.Worksheet = new Worksheet(data);
            sheetList.AppendChild(new Sheet { Id = workbookPart.GetIdOfPart(part), SheetId = id++, Name = sheet.Name });
        }

        workbookPart.Workbook.Save();
    }

    private static Row MakeRow(IReadOnlyList<object?> values)
    {
        var row = new Row();
        foreach (var v in values)
        {
            row.AppendChild(v switch
            {
                int or long or double or decimal => new Cell { DataType = CellValues.Number, CellValue = new CellValue(Convert.ToString(v, CultureInfo.InvariantCulture)!) },
                _ => new Cell { DataType = CellValues.InlineString, InlineString = new InlineString(new DocumentFormat.OpenXml.Spreadsheet.Text(v?.ToString() ?? string.Empty) { Space = SpaceProcessingModeValues.Preserve }) },
            });
        }

        return row;
    }

    private static string CellText(Cell cell, string[] shared)
    {
        if (cell.DataType?.Value == CellValues.SharedString && int.TryParse(cell.CellValue?.Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) && i >= 0 && i < shared.Length)
        {
            return shared[i];
        }

        if (cell.DataType?.Value == CellValues.InlineString)
        {
            return cell.InlineString?.InnerText ?? string.Empty;
        }

        return cell.CellValue?.Text ?? cell.InnerText;
    }

    private static int ColumnIndex(string? reference, int next)
    {
        if (string.IsNullOrEmpty(reference))
        {
            return next;
        }

        var index = 0;
        foreach (var c in reference)
        {
            if (!char.IsLetter(c))
            {
                break;
            }

            index = (index * 26) + (char.ToUpperInvariant(c) - 'A' + 1);
        }

        return Math.Max(0, index - 1);
    }

    private static string NormalizeHeader(string header) => header.Trim().Trim('\uFEFF').ToLowerInvariant().Replace(' ', '_');
}

/// <summary>One sheet to write.</summary>
public sealed record TableSheet(string Name, IReadOnlyList<string> Header, IEnumerable<IReadOnlyList<object?>> Rows);
