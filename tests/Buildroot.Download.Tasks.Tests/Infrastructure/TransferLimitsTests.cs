using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Tests.Infrastructure;

/// <summary><c>BuildrootDownloadStallTimeout</c> and <c>BuildrootDownloadTimeout</c> as a user writes them.</summary>
public sealed class TransferLimitsTests
{
    [Fact]
    public void Blank_properties_give_the_documented_defaults()
    {
        TransferLimits limits = TransferLimits.Parse(null, " ");

        limits.Stall.ShouldBe(TimeSpan.FromSeconds(30));
        limits.Overall.ShouldBe(TimeSpan.FromHours(1));
    }

    [Theory]
    [InlineData("2", "60", 2, 60)]
    [InlineData("0.5", "7200", 0.5, 7200)]
    [InlineData(" 45 ", "1.5", 45, 1.5)]
    public void Seconds_are_read_as_given(string stall, string overall, double stallSeconds, double overallSeconds)
    {
        TransferLimits limits = TransferLimits.Parse(stall, overall);

        limits.Stall.ShouldBe(TimeSpan.FromSeconds(stallSeconds));
        limits.Overall.ShouldBe(TimeSpan.FromSeconds(overallSeconds));
    }

    [Fact]
    public void An_overall_limit_of_0_means_none()
    {
        TransferLimits limits = TransferLimits.Parse("30", "0");

        limits.HasOverallLimit.ShouldBeFalse();
        limits.Overall.ShouldBe(Timeout.InfiniteTimeSpan);
    }

    [Theory]
    [InlineData("0", "3600", TransferLimits.StallProperty)]
    [InlineData("soon", "3600", TransferLimits.StallProperty)]
    [InlineData("-5", "3600", TransferLimits.StallProperty)]
    [InlineData("1e3", "3600", TransferLimits.StallProperty)]
    [InlineData("30s", "3600", TransferLimits.StallProperty)]
    [InlineData("30", "-1", TransferLimits.OverallProperty)]
    [InlineData("30", "1h", TransferLimits.OverallProperty)]
    [InlineData("30", "99999999999", TransferLimits.OverallProperty)]
    public void Anything_but_a_number_of_seconds_is_a_coded_build_error_naming_the_property(string stall, string overall, string property)
    {
        var error = Should.Throw<BrdlException>(() => TransferLimits.Parse(stall, overall));

        error.Code.ShouldBe(MessageCodes.InvalidTimeLimit);
        error.Scope.ShouldBe(FailureScope.Build);
        error.Message.ShouldStartWith(property);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(30)]
    [InlineData(600)]
    public void Tools_give_up_a_little_after_the_watchdog_at_the_same_1_KiB_per_window(int stallSeconds)
    {
        var limits = new TransferLimits(TimeSpan.FromSeconds(stallSeconds), TimeSpan.FromHours(1));

        // Later than the watchdog, whose message names the property, but not much later.
        limits.ToolStallSeconds.ShouldBeGreaterThan(stallSeconds);
        limits.ToolStallSeconds.ShouldBeLessThanOrEqualTo(Math.Max(stallSeconds + 5, stallSeconds * 5 / 4 + 1));

        // A tool's low-speed limit over its window is the watchdog's 1 KiB, rounded up.
        (limits.ToolLowSpeedBytesPerSecond * limits.ToolStallSeconds).ShouldBeGreaterThanOrEqualTo(TransferLimits.ProgressBytes);
        ((limits.ToolLowSpeedBytesPerSecond - 1) * limits.ToolStallSeconds).ShouldBeLessThan(TransferLimits.ProgressBytes);
    }
}
