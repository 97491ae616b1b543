namespace CcBot.Host.Cli;

/// <summary>Keys typed at a terminal, one at a time and not echoed.</summary>
public interface IKeySource
{
    ConsoleKeyInfo ReadKey();
}

/// <summary>The process's console: <see cref="Console.ReadKey(bool)"/> with the key intercepted (not shown).</summary>
internal sealed class ConsoleKeys : IKeySource
{
    public ConsoleKeyInfo ReadKey() => Console.ReadKey(intercept: true);
}

/// <summary>Reads a secret from the terminal: nothing of it is written back, Backspace erases, Enter ends.</summary>
public static class SecretPrompt
{
    public static string Read(IKeySource keys, TextWriter output, string prompt)
    {
        output.Write(prompt);
        output.Flush();
        var secret = new System.Text.StringBuilder();
        while (true)
        {
            var key = keys.ReadKey();
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (secret.Length > 0)
                {
                    secret.Length--;
                }

                continue;
            }

            if (!char.IsControl(key.KeyChar))
            {
                secret.Append(key.KeyChar);
            }
        }

        output.WriteLine();
        return secret.ToString();
    }
}
