using System.Globalization;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CcBot.Core.Text;

/// <summary>A dialog file that cannot be used; the message names the file and line.</summary>
public sealed class DialogFileException(string file, long line, string message)
    : Exception($"{file}:{line}: {message}")
{
    public string File { get; } = file;
    public long Line { get; } = line;
}

/// <summary>
/// Loads <c>texts:</c> and <c>menus:</c> from every <c>*.yaml</c> file in a folder.
/// A key defined twice, a malformed file, an empty text or a menu button without action or url fails loading.
/// </summary>
public sealed class YamlTextCatalog : ITextCatalog
{
    private readonly Dictionary<string, string> _texts;
    private readonly Dictionary<string, MenuDefinition> _menus;

    private YamlTextCatalog(Dictionary<string, string> texts, Dictionary<string, MenuDefinition> menus)
    {
        _texts = texts;
        _menus = menus;
    }

    public IReadOnlyCollection<string> Keys => _texts.Keys;

    public static YamlTextCatalog LoadFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Dialog folder not found: {folder}");
        }

        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        var origins = new Dictionary<string, string>(StringComparer.Ordinal);
        var menus = new Dictionary<string, MenuDefinition>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(folder, "*.yaml").Order(StringComparer.Ordinal))
        {
            LoadFile(file, File.ReadAllText(file, Encoding.UTF8), texts, origins, menus);
        }

        return new YamlTextCatalog(texts, menus);
    }

    public static YamlTextCatalog Parse(string fileName, string yaml)
    {
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        var menus = new Dictionary<string, MenuDefinition>(StringComparer.Ordinal);
        LoadFile(fileName, yaml, texts, new Dictionary<string, string>(StringComparer.Ordinal), menus);
        return new YamlTextCatalog(texts, menus);
    }

    private static void LoadFile(
        string file,
        string content,
        Dictionary<string, string> texts,
        Dictionary<string, string> origins,
        Dictionary<string, MenuDefinition> menus)
    {
        var name = Path.GetFileName(file);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(content.Normalize(NormalizationForm.FormC)));
        }
        catch (YamlException ex)
        {
            throw new DialogFileException(name, ex.Start.Line, "invalid YAML: " + ex.Message);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this for some malformed input; find the line where parsing stopped.
            throw new DialogFileException(name, LastParsedLine(content), "invalid YAML (check quotes and brackets on this line)");
        }

        if (stream.Documents.Count == 0)
        {
            return;
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new DialogFileException(name, stream.Documents[0].RootNode.Start.Line, "the file must be a mapping with 'texts:' and/or 'menus:'");
        }

        foreach (var (keyNode, valueNode) in root.Children)
        {
            var section = ((YamlScalarNode)keyNode).Value;
            switch (section)
            {
                case "texts":
                    ReadTexts(name, valueNode, texts, origins);
                    break;
                case "menus":
                    ReadMenus(name, valueNode, menus, origins);
                    break;
                default:
                    throw new DialogFileException(name, keyNode.Start.Line, $"unknown section '{section}' (expected 'texts' or 'menus')");
            }
        }
    }

    private static long LastParsedLine(string content)
    {
        var parser = new Parser(new StringReader(content));
        long line = 1;
        try
        {
            while (parser.MoveNext())
            {
                line = parser.Current!.End.Line;
            }
        }
        catch (Exception ex) when (ex is YamlException or InvalidOperationException)
        {
            return ex is YamlException y ? y.Start.Line : line + 1;
        }

        return line;
    }

    private static void ReadTexts(string file, YamlNode node, Dictionary<string, string> texts, Dictionary<string, string> origins)
    {
        if (node is not YamlMappingNode map)
        {
            throw new DialogFileException(file, node.Start.Line, "'texts' must be a mapping of key: text");
        }

        foreach (var (k, v) in map.Children)
        {
            var key = ScalarOrThrow(file, k, "text key");
            var value = ScalarOrThrow(file, v, $"text '{key}'").TrimEnd('\n');
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new DialogFileException(file, v.Start.Line, $"text '{key}' is empty");
            }

            if (texts.ContainsKey(key))
            {
                throw new DialogFileException(file, k.Start.Line, $"text '{key}' is already defined in {origins[key]}");
            }

            texts[key] = value;
            origins[key] = $"{file}:{k.Start.Line}";
        }
    }

    private static void ReadMenus(string file, YamlNode node, Dictionary<string, MenuDefinition> menus, Dictionary<string, string> origins)
    {
        if (node is not YamlMappingNode map)
        {
            throw new DialogFileException(file, node.Start.Line, "'menus' must be a mapping of key: {text, buttons}");
        }

        foreach (var (k, v) in map.Children)
        {
            var key = ScalarOrThrow(file, k, "menu key");
            if (v is not YamlMappingNode menuNode)
            {
                throw new DialogFileException(file, v.Start.Line, $"menu '{key}' must have 'text' and 'buttons'");
            }

            string? text = null;
            var buttons = new List<MenuButton>();
            foreach (var (mk, mv) in menuNode.Children)
            {
                var field = ScalarOrThrow(file, mk, "menu field");
                if (field == "text")
                {
                    text = ScalarOrThrow(file, mv, $"menu '{key}' text").TrimEnd('\n');
                }
                else if (field == "buttons" && mv is YamlSequenceNode seq)
                {
                    foreach (var item in seq.Children)
                    {
                        buttons.Add(ReadButton(file, key, item));
                    }
                }
                else
                {
                    throw new DialogFileException(file, mk.Start.Line, $"menu '{key}': unknown field '{field}' (expected 'text' and a list 'buttons')");
                }
            }

            if (string.IsNullOrWhiteSpace(text))
            {
                throw new DialogFileException(file, v.Start.Line, $"menu '{key}' has no text");
            }

            if (menus.ContainsKey(key))
            {
                throw new DialogFileException(file, k.Start.Line, $"menu '{key}' is already defined in {origins["menu:" + key]}");
            }

            menus[key] = new MenuDefinition(key, text, buttons);
            origins["menu:" + key] = $"{file}:{k.Start.Line}";
        }
    }

    private static MenuButton ReadButton(string file, string menu, YamlNode item)
    {
        if (item is not YamlMappingNode b)
        {
            throw new DialogFileException(file, item.Start.Line, $"menu '{menu}': a button must be a mapping with 'title' and 'action' or 'url'");
        }

        string? title = null, action = null, url = null;
        foreach (var (bk, bv) in b.Children)
        {
            var f = ScalarOrThrow(file, bk, "button field");
            var val = ScalarOrThrow(file, bv, $"button {f}");
            switch (f)
            {
                case "title": title = val; break;
                case "action": action = val; break;
                case "url": url = val; break;
                default: throw new DialogFileException(file, bk.Start.Line, $"menu '{menu}': unknown button field '{f}'");
            }
        }

        if (string.IsNullOrWhiteSpace(title) || (action is null == url is null))
        {
            throw new DialogFileException(file, item.Start.Line, $"menu '{menu}': a button needs a 'title' and exactly one of 'action' or 'url'");
        }

        return new MenuButton(title, action, url);
    }

    private static string ScalarOrThrow(string file, YamlNode node, string what) =>
        node is YamlScalarNode s && s.Value is not null
            ? s.Value
            : throw new DialogFileException(file, node.Start.Line, $"{what} must be a plain value");

    public bool Contains(string key) => _texts.ContainsKey(key);

    public string Get(string key, params (string Name, object? Value)[] args)
    {
        if (!_texts.TryGetValue(key, out var template))
        {
            throw new KeyNotFoundException($"No text '{key}' in dialogs/.");
        }

        return Fill(template, args);
    }

    public MenuDefinition GetMenu(string key)
    {
        if (!_menus.TryGetValue(key, out var menu))
        {
            throw new KeyNotFoundException($"No menu '{key}' in dialogs/.");
        }

        return menu;
    }

    /// <summary>Replaces <c>{name}</c> placeholders; unknown placeholders stay visible so a wrong key is noticed.</summary>
    public static string Fill(string template, IReadOnlyList<(string Name, object? Value)> args)
    {
        if (args.Count == 0 || template.IndexOf('{') < 0)
        {
            return template;
        }

        var sb = new StringBuilder(template.Length + 32);
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            if (open < 0)
            {
                sb.Append(template, i, template.Length - i);
                break;
            }

            var close = template.IndexOf('}', open + 1);
            if (close < 0)
            {
                sb.Append(template, i, template.Length - i);
                break;
            }

            sb.Append(template, i, open - i);
            var name = template.AsSpan(open + 1, close - open - 1);
            var found = false;
            foreach (var (n, v) in args)
            {
                if (name.SequenceEqual(n))
                {
                    sb.Append(Convert.ToString(v, CultureInfo.InvariantCulture));
                    found = true;
                    break;
                }
            }

            if (!found)
            {
                sb.Append(template, open, close - open + 1);
            }

            i = close + 1;
        }

        return sb.ToString();
    }
}
