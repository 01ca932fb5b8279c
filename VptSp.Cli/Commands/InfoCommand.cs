using System.CommandLine;
using VptSp.Core.Runtime;

namespace VptSp.Cli.Commands;

public static class InfoCommand
{
    public static Command Create(TextWriter output)
    {
        var gpu = new Option<string?>("--gpu") { Description = "GPU index to describe (cpu when none is available)" };
        var cmd = new Command("info", "Print VptSp and TorchSharp versions, the device, threads and bf16 support");
        cmd.Options.Add(gpu);
        cmd.SetAction(parse =>
        {
            var info = TorchRuntime.Describe(parse.GetValue(gpu));
            output.WriteLine($"VptSp        {info.VptSpVersion}");
            output.WriteLine($"TorchSharp   {info.TorchSharpVersion}");
            output.WriteLine(info.GpuName is null ? $"device       {info.Device}" : $"device       {info.Device} ({info.GpuName})");
            output.WriteLine($"threads      {info.TorchThreads}");
            output.WriteLine($"bf16 matmul  {(info.Bf16MatmulWorks ? "yes" : "no")}");
            output.WriteLine($"bf16: auto   {TorchRuntime.ProbeBf16(TorchRuntime.ResolveDevice(parse.GetValue(gpu))).Describe()}");
            return 0;
        });
        return cmd;
    }
}
