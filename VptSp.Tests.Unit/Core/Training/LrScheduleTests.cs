using VptSp.Core.Training;

namespace VptSp.Tests.Core.Training;

public class LrScheduleTests
{
    [Fact]
    public void CosineMatchesHandComputedValues()
    {
        var c = new TrainingConfig { Scheduler = SchedulerKind.Cosine, LrCosineLength = 4, LrCosineMin = 0.0 };
        // 1·(1 + cos(π·e/4))/2 for e = 0..4: 1, (1+√2/2)/2, 0.5, (1−√2/2)/2, 0
        Assert.Equal(1.0, LrSchedule.At(c, 1.0, 0), 12);
        Assert.Equal(0.8535533905932737, LrSchedule.At(c, 1.0, 1), 12);
        Assert.Equal(0.5, LrSchedule.At(c, 1.0, 2), 12);
        Assert.Equal(0.14644660940672627, LrSchedule.At(c, 1.0, 3), 12);
        Assert.Equal(0.0, LrSchedule.At(c, 1.0, 4), 12);
        var withMin = c with { LrCosineMin = 0.1 };
        // 0.1 + 0.9·0.5 at the half-way epoch
        Assert.Equal(0.55, LrSchedule.At(withMin, 1.0, 2), 12);
    }

    [Fact]
    public void ProxyLearningRateFollowsTheReferencesOwnCosineWhateverTheModelScheduler()
    {
        // main.py: p_scheduler = CosineAnnealingLR(T_max = lr_cosine_length, eta_min = lr_cosine_min), stepped unless scheduler is none.
        var step = new TrainingConfig { Scheduler = SchedulerKind.Step, LrProxy = 0.4, LrCosineLength = 4, LrCosineMin = 0.0, LrReduceStep = 1, LrReduceRate = 0.1 };
        Assert.Equal(0.4 * 0.5, LrSchedule.ProxyAt(step, 2), 12);          // cosine half-way, not 0.4·0.1²
        Assert.Equal(0.4 * 0.01, LrSchedule.At(step, 0.4, 2), 12);         // the model group does follow step
        Assert.Equal(0.4, LrSchedule.ProxyAt(step with { Scheduler = SchedulerKind.None }, 3), 12);
        Assert.Equal(0.4 * 0.5, LrSchedule.ProxyAt(step with { SamePScheduler = false }, 2), 12); // the key is read by nothing
    }

    [Fact]
    public void StepMultiAndLinearMatchHandComputedValues()
    {
        var step = new TrainingConfig { Scheduler = SchedulerKind.Step, LrReduceStep = 5, LrReduceRate = 0.5 };
        Assert.Equal(0.2, LrSchedule.At(step, 0.2, 4), 12);
        Assert.Equal(0.1, LrSchedule.At(step, 0.2, 5), 12);
        Assert.Equal(0.05, LrSchedule.At(step, 0.2, 10), 12);
        var multi = new TrainingConfig { Scheduler = SchedulerKind.Multi, LrReduceMultiSteps = [2, 5], LrReduceRate = 0.1 };
        Assert.Equal(1.0, LrSchedule.At(multi, 1.0, 1), 12);
        Assert.Equal(0.1, LrSchedule.At(multi, 1.0, 2), 12);
        Assert.Equal(0.01, LrSchedule.At(multi, 1.0, 7), 12);
        var linear = new TrainingConfig { Scheduler = SchedulerKind.Linear, LrLinearStart = 1.0, LrLinearEnd = 0.01, LrLinearLength = 10 };
        // 1 + (0.01 − 1)·5/10 = 0.505; constant after the length
        Assert.Equal(0.505, LrSchedule.At(linear, 1.0, 5), 12);
        Assert.Equal(0.01, LrSchedule.At(linear, 1.0, 30), 12);
        Assert.Equal(0.3, LrSchedule.At(new TrainingConfig { Scheduler = SchedulerKind.None }, 0.3, 9), 12);
    }
}
