using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using TorchSharp;
using VptSp.Core.Runtime;

namespace VptSp.Tests.Core.Runtime;

/// <summary>
/// The build-time rule of docs/native-lifetimes.md: snippets compiled against TorchSharp with the build's own
/// BannedApiAnalyzer and BannedSymbols.txt. A finalizer-owned Scalar must be an RS0030 error; held Scalars must not.
/// </summary>
public sealed class BannedScalarRuleTests
{
    private static string Metadata(string key) =>
        typeof(BannedScalarRuleTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"assembly metadata {key} is empty");

    private static readonly string BannedSymbolsPath = Path.GetFullPath(Metadata("BannedSymbolsFile"));

    private static CSharpCompilation Compile(string body)
    {
        var source = $$"""
            using TorchSharp;
            using VptSp.Core.Runtime;
            using static TorchSharp.torch;
            public static class Snippet
            {
                public static void Run(Tensor a, Tensor b, double lr)
                {
                    {{body}}
                }
            }
            """;
        var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Select(p => MetadataReference.CreateFromFile(p));
        var ours = new[] { typeof(torch).Assembly.Location, typeof(Scalars).Assembly.Location }
            .Select(p => MetadataReference.CreateFromFile(p));
        return CSharpCompilation.Create("Snippet", [CSharpSyntaxTree.ParseText(source)], trusted.Concat(ours).DistinctBy(r => r.Display),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
    }

    private static async Task<string[]> BannedUses(string body)
    {
        var compilation = Compile(body);
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.True(errors.Length == 0, "snippet does not compile: " + string.Join("; ", errors.Select(e => e.GetMessage())));
        var dir = Metadata("BannedApiAnalyzerDir");
        var analyzers = new[] { "Microsoft.CodeAnalysis.BannedApiAnalyzers.dll", "Microsoft.CodeAnalysis.CSharp.BannedApiAnalyzers.dll" }
            .Select(f => new AnalyzerFileReference(Path.Combine(dir, f), AnalyzerLoader.Instance))
            .SelectMany(r => r.GetAnalyzers(LanguageNames.CSharp))
            .ToImmutableArray();
        Assert.NotEmpty(analyzers);
        var options = new AnalyzerOptions([new FileText(BannedSymbolsPath)]);
        var diagnostics = await compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync();
        return diagnostics.Where(d => d.Id == "RS0030").Select(d => d.GetMessage()).ToArray();
    }

    [Theory]
    [InlineData("var c = a * 0.5;", "operator *(torch.Tensor, double)")]
    [InlineData("var c = a + b;", "operator +(torch.Tensor, torch.Tensor)")]
    [InlineData("var c = 1 - a;", "operator -(int, torch.Tensor)")]
    [InlineData("a.add_(b, alpha: 1 - lr);", "implicit operator Scalar(double)")]
    [InlineData("var c = a.add(b);", "torch.Tensor.add(torch.Tensor)")]
    [InlineData("var c = a.clamp_min(1e-12);", "implicit operator Scalar(double)")]
    [InlineData("var f = a.sum().ToSingle();", "TensorExtensionMethods.ToSingle(torch.Tensor)")]
    [InlineData("var r = arange(10);", "torch.arange(Scalar, torch.ScalarType?, torch.Device?, bool)")]
    [InlineData("var p = pow(0.9, a);", "implicit operator torch.Tensor(double)")]
    public async Task AnImplicitOrHiddenScalarIsABuildError(string code, string symbol)
    {
        var banned = await BannedUses(code);
        Assert.Contains(banned, m => m.Contains(symbol, StringComparison.Ordinal));
    }

    [Fact]
    public async Task HeldScalarsAndTheHelpersPassTheRule()
    {
        var banned = await BannedUses("""
            using var alpha = (1 - lr).ToScalar();
            a.add_(b, alpha: alpha);
            var c = a.Plus(b).mul(Scalars.Half) - b;
            var d = c.clamp_min(Scalars.Zero).ReadSingle() + a.Times(2.0).sum().item<float>();
            var e = TensorOps.Arange(0, 10);
            """);
        Assert.Empty(banned);
    }

    [Fact]
    public void EveryBannedSymbolNamesARealTorchSharpMember()
    {
        // A misspelt documentation id bans nothing and says nothing; resolve every line against TorchSharp itself.
        var compilation = Compile("");
        var ids = File.ReadAllLines(BannedSymbolsPath)
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(';')[0]).ToArray();
        Assert.True(ids.Length > 60, $"only {ids.Length} banned symbols");
        var unresolved = ids.Where(id => DocumentationCommentId.GetSymbolsForDeclarationId(id, compilation).IsEmpty).ToArray();
        Assert.True(unresolved.Length == 0, "no such member: " + string.Join(", ", unresolved));
    }

    private sealed class FileText(string path) : AdditionalText
    {
        public override string Path { get; } = path;
        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(File.ReadAllText(Path));
    }

    private sealed class AnalyzerLoader : IAnalyzerAssemblyLoader
    {
        public static readonly AnalyzerLoader Instance = new();
        public void AddDependencyLocation(string fullPath) { }
        public Assembly LoadFromPath(string fullPath) => Assembly.LoadFrom(fullPath);
    }
}
