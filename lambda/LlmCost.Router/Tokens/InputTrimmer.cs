using System.Text;
using LlmCost.Router.Chat;

namespace LlmCost.Router.Tokens;

/// <summary>
/// What a route with <c>trimInput</c> may do to fit its input limit without changing what the prompt says: collapse
/// runs of whitespace, and drop messages that repeat an earlier message word for word (pasted context sent twice).
/// The last message is never dropped. Nothing is summarised or cut.
/// </summary>
internal static class InputTrimmer
{
    public static IReadOnlyList<ChatMessage> Trim(IReadOnlyList<ChatMessage> messages)
    {
        var collapsed = messages.Select(m => m with { Text = CollapseWhitespace(m.Text) }).ToList();
        var seen = new HashSet<(string Role, string Text)>();
        var kept = new List<ChatMessage>(collapsed.Count);
        for (var i = 0; i < collapsed.Count; i++)
        {
            var message = collapsed[i];
            var isLast = i == collapsed.Count - 1;
            if (seen.Add((message.Role, message.Text)) || isLast)
            {
                kept.Add(message);
            }
        }

        return kept;
    }

    /// <summary>
    /// Per line: trailing whitespace goes and inner runs of spaces and tabs become one space, while leading
    /// indentation stays (it is meaning in code); more than one blank line in a row becomes one.
    /// </summary>
    public static string CollapseWhitespace(string text)
    {
        var builder = new StringBuilder(text.Length);
        var blankRun = 0;
        var first = true;
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd();
            if (line.Length == 0)
            {
                blankRun++;
                if (blankRun > 1)
                {
                    continue;
                }
            }
            else
            {
                blankRun = 0;
            }

            if (!first)
            {
                builder.Append('\n');
            }

            first = false;
            var indent = line.Length - line.TrimStart().Length;
            builder.Append(line, 0, indent);
            var inRun = false;
            for (var i = indent; i < line.Length; i++)
            {
                var c = line[i];
                if (c is ' ' or '\t')
                {
                    inRun = true;
                    continue;
                }

                if (inRun)
                {
                    builder.Append(' ');
                    inRun = false;
                }

                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
