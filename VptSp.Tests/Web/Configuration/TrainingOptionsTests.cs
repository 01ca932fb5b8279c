using System.ComponentModel.DataAnnotations;
using VptSp.Core.Runtime;
using VptSp.Runs.Options;

namespace VptSp.Tests.Web.Configuration;

/// <summary>Training:Device accepts what the README says: cpu, a GPU index (like --gpu 0), cuda, cuda:N.</summary>
public class TrainingOptionsTests
{
    private static bool Valid(string? device) =>
        Validate(new TrainingOptions { Device = device });

    private static bool Validate(TrainingOptions o) => Validator.TryValidateObject(o, new ValidationContext(o), [], validateAllProperties: true);

    [Theory]
    [InlineData("cpu")]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("cuda")]
    [InlineData("cuda:1")]
    [InlineData(null)]
    public void DocumentedDeviceValuesAreAccepted(string? device) => Assert.True(Valid(device), device);

    [Theory]
    [InlineData("gpu")]
    [InlineData("-1")]
    [InlineData("cuda:")]
    [InlineData("0,1")]
    public void OtherDeviceValuesAreRefused(string device) => Assert.False(Valid(device), device);

    [SkippableFact]
    public void AGpuIndexFallsBackToTheCpuWithoutAGpu()
    {
        Skip.If(TorchSharp.torch.cuda.is_available(), "this machine has a GPU");
        Assert.Equal(TorchSharp.DeviceType.CPU, TorchRuntime.ResolveDevice("0").type);
    }
}
