using Eliloader.Tests.Support;

namespace Eliloader.Tests.Unit;

/// <summary>
/// The repository's documents stay whole for a person who clones it: a short README, the
/// protocol in docs/, every docs/ citation and Markdown link resolving inside the
/// repository, and no path to notes kept outside it. Reads files only; no binary needed.
/// </summary>
public sealed class HouseTests
{
    private const int ReadmeMaxLines = 150;

    private static string Docs => Path.Combine(RepoPaths.Root, "docs");

    /// <summary>A citation made up here, built from parts so that this file does not cite a missing document itself.</summary>
    private static string Cite(string rest) => string.Concat("docs", "/", rest);

    [Fact]
    public void The_readme_is_at_most_150_lines()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, "README.md")).Length;
        Assert.True(lines <= ReadmeMaxLines, $"README.md has {lines} lines, more than {ReadmeMaxLines}: move the details into docs/");
    }

    [Theory]
    [InlineData("protocol.md")]
    [InlineData("design.md")]
    [InlineData("administration.md")]
    [InlineData("compatibility.md")]
    [InlineData("measurements.md")]
    public void The_documents_are_in_the_repository(string document) =>
        Assert.True(File.Exists(Path.Combine(Docs, document)), $"docs/{document} is missing");

    [Fact]
    public void Every_docs_citation_resolves()
    {
        var broken = DocumentReferences.CitingFiles(RepoPaths.Root)
            .SelectMany(f => DocumentReferences.BrokenCitations(Docs, f.Path, f.Lines))
            .ToList();
        Assert.True(broken.Count == 0, string.Join("\n", broken));
    }

    [Fact]
    public void Nothing_cites_a_path_outside_the_repository()
    {
        var outside = DocumentReferences.CitingFiles(RepoPaths.Root)
            .SelectMany(f => DocumentReferences.OutsidePaths(f.Path, f.Lines))
            .ToList();
        Assert.True(outside.Count == 0, string.Join("\n", outside));
    }

    [Fact]
    public void Every_link_of_the_readme_and_the_documents_resolves()
    {
        var documents = Directory.GetFiles(Docs, "*.md").Prepend(Path.Combine(RepoPaths.Root, "README.md"));
        var broken = documents
            .SelectMany(d => DocumentReferences.BrokenLinks(d, Path.GetRelativePath(RepoPaths.Root, d)))
            .ToList();
        Assert.True(broken.Count == 0, string.Join("\n", broken));
    }

    [Fact]
    public void The_protocol_sections_code_cites_are_numbered_headings()
    {
        var sections = DocumentReferences.BrokenCitations(Docs, "probe", ["docs/protocol.md section 3", "docs/protocol.md section 16"]);
        Assert.Empty(sections);
    }

    [Fact]
    public void A_missing_document_or_section_is_named_with_its_line()
    {
        string[] lines = ["see " + Cite("protocol.md section 99"), "and " + Cite("nowhere.md"), Cite("protocol.md section 4")];
        Assert.Equal(
            [
                $"probe.cs:1: {Cite("protocol.md section 99")}: the document has no heading '## 99. …'",
                $"probe.cs:2: {Cite("nowhere.md")}: no such document",
            ],
            DocumentReferences.BrokenCitations(Docs, "probe.cs", lines));
    }

    [Fact]
    public void A_path_beside_the_repository_is_found_and_the_tests_own_folder_is_not()
    {
        // Built from parts, so that this file does not cite the path it tests for.
        var outside = string.Concat("../", "sha", "red/docs/protocol.md");
        string[] lines = [$"/// written down in `{outside}`", "<Compile Include=\"../Shared/TestSigningKeys.cs\" />", "ArrayPool<byte>.Shared.Rent(4)"];
        Assert.Equal([$"probe.cs:1: /// written down in `{outside}`"], DocumentReferences.OutsidePaths("probe.cs", lines));
    }
}
