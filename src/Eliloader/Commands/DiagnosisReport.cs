using System.Text.Json;
using Eliloader.Errors;

namespace Eliloader.Commands;

/// <summary>Where a diagnosis tells what it found, step by step, and how it ended.</summary>
public interface IDiagnosisReport
{
    void Finding(string step, string detail);

    /// <param name="failure">The error a real boot would end with; null when it would succeed.</param>
    void Finish(ApiError? failure);
}

/// <summary>For a person: one aligned line per finding, written as it is found.</summary>
public sealed class TextDiagnosisReport(TextWriter output) : IDiagnosisReport
{
    public void Finding(string step, string detail) => output.WriteLine($"{step + ":",-12} {detail}");

    public void Finish(ApiError? failure) => output.WriteLine(failure is null
        ? "result: a real first boot would succeed"
        : $"result: a real first boot would FAIL with {failure.Code}: {string.Join(" ", failure.Parameters)}");
}

/// <summary>For scripts: one JSON document, {"findings": [{"step", "detail"}…], "ok", "error": {"code", "parameters"}}.</summary>
public sealed class JsonDiagnosisReport(Stream output) : IDiagnosisReport
{
    private readonly List<(string Step, string Detail)> findings = [];

    public void Finding(string step, string detail) => findings.Add((step, detail));

    public void Finish(ApiError? failure)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteStartArray("findings");
        foreach (var (step, detail) in findings)
        {
            json.WriteStartObject();
            json.WriteString("step", step);
            json.WriteString("detail", detail);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteBoolean("ok", failure is null);
        if (failure is not null)
        {
            json.WriteStartObject("error");
            json.WriteString("code", failure.Code);
            json.WriteStartArray("parameters");
            foreach (var parameter in failure.Parameters)
                json.WriteStringValue(parameter);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.Flush();
        output.Write("\n"u8);
    }
}
