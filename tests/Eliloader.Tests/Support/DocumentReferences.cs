using System.Text.RegularExpressions;

namespace Eliloader.Tests.Support;

/// <summary>
/// The document references a person who clones the repository must be able to follow:
/// a Markdown file of docs/ (optionally followed by `section N`) cited in code, tests and the
/// README, and relative Markdown links between the README and docs/. Each problem is
/// named by its file and line, so a failing test says what to fix.
/// </summary>
public static partial class DocumentReferences
{
    /// <summary>The folders and files whose text may cite a document.</summary>
    public static readonly string[] Cited = ["README.md", "Makefile", "src", "tests", "scripts", "bench", "packaging"];

    private static readonly HashSet<string> TextExtensions = [".cs", ".csproj", ".md", ".sh", ".py", ".txt", ".json", ".conf", ".1", ".spec", ".props", ""];

    private static readonly HashSet<string> BuildOutput = ["bin", "obj", "TestResults"];

    /// <summary>A docs/ file, not preceded by a path or a word (so /usr/share/docs/x.md is no citation).</summary>
    [GeneratedRegex(@"(?<![\w/.-])docs/(?<file>[A-Za-z0-9_-]+\.md)(?:,? section (?<section>\d+))?")]
    private static partial Regex DocsCitation();

    /// <summary>
    /// A path into the notes kept beside the repository: a lower-case folder named shared at
    /// the start of a path, after a slash, a quote or a blank (the tests' own Shared folder
    /// is capitalised and inside the repository).
    /// </summary>
    [GeneratedRegex(@"(?:^|[\s`'""(/])shared/")]
    private static partial Regex OutsidePath();

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex MarkdownLink();

    [GeneratedRegex(@"^(?<level>#{1,6}) +(?<text>.+?) *$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    /// <summary>Every text file under the cited folders, as (path relative to the root, lines).</summary>
    public static IEnumerable<(string Path, string[] Lines)> CitingFiles(string root)
    {
        foreach (var entry in Cited)
        {
            var full = Path.Combine(root, entry);
            var files = File.Exists(full) ? [full] : Directory.Exists(full) ? TextFilesUnder(full) : [];
            foreach (var file in files)
                yield return (Path.GetRelativePath(root, file), File.ReadAllLines(file));
        }
    }

    private static IEnumerable<string> TextFilesUnder(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            if (TextExtensions.Contains(Path.GetExtension(file)))
                yield return file;
        }
        foreach (var sub in Directory.EnumerateDirectories(directory))
        {
            if (!BuildOutput.Contains(Path.GetFileName(sub)))
            {
                foreach (var file in TextFilesUnder(sub))
                    yield return file;
            }
        }
    }

    /// <summary>Citations of docs/ files or sections that do not exist, as "path:line: reason".</summary>
    public static IEnumerable<string> BrokenCitations(string docsDirectory, string path, string[] lines)
    {
        for (var i = 0; i < lines.Length; i++)
        {
            foreach (Match match in DocsCitation().Matches(lines[i]))
            {
                var document = Path.Combine(docsDirectory, match.Groups["file"].Value);
                if (!File.Exists(document))
                    yield return $"{path}:{i + 1}: {match.Value}: no such document";
                else if (match.Groups["section"].Success && !HasSection(document, match.Groups["section"].Value))
                    yield return $"{path}:{i + 1}: {match.Value}: the document has no heading '## {match.Groups["section"].Value}. …'";
            }
        }
    }

    /// <summary>Lines that cite a path outside the repository, as "path:line: text".</summary>
    public static IEnumerable<string> OutsidePaths(string path, string[] lines) =>
        lines.Select((line, i) => (line, i))
            .Where(l => OutsidePath().IsMatch(l.line))
            .Select(l => $"{path}:{l.i + 1}: {l.line.Trim()}");

    /// <summary>
    /// Relative Markdown links of a document that lead nowhere: a missing file, or an
    /// anchor no heading of the target makes (headings become anchors as GitHub makes them).
    /// </summary>
    public static IEnumerable<string> BrokenLinks(string document, string path)
    {
        var lines = File.ReadAllLines(document);
        for (var i = 0; i < lines.Length; i++)
        {
            foreach (Match match in MarkdownLink().Matches(lines[i]))
            {
                var target = match.Groups["target"].Value;
                if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
                    continue;
                var hash = target.IndexOf('#');
                var file = hash < 0 ? target : target[..hash];
                var linked = file.Length == 0 ? document : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(document)!, file));
                if (!File.Exists(linked) && !Directory.Exists(linked))
                    yield return $"{path}:{i + 1}: {target}: no such file";
                else if (hash >= 0 && !Anchors(linked).Contains(target[(hash + 1)..]))
                    yield return $"{path}:{i + 1}: {target}: no such heading";
            }
        }
    }

    private static bool HasSection(string document, string number) =>
        Heading().Matches(File.ReadAllText(document))
            .Any(h => h.Groups["level"].Value == "##" && h.Groups["text"].Value.StartsWith(number + ". ", StringComparison.Ordinal));

    /// <summary>GitHub's anchors: lower case, punctuation other than '-' and '_' dropped, spaces made '-'.</summary>
    public static HashSet<string> Anchors(string document) =>
        File.Exists(document)
            ? Heading().Matches(File.ReadAllText(document))
                .Select(h => new string(h.Groups["text"].Value.ToLowerInvariant()
                    .Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_').ToArray()).Replace(' ', '-'))
                .ToHashSet()
            : [];
}
