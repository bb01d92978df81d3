namespace Buildroot.Download.Tasks.EndToEnd.Tests.Harness;

/// <summary>Assertions on a build that print the whole build (command, output, binary log) when they fail.</summary>
internal static class BuildResultAssertions
{
    public static BuildResult ShouldSucceed(this BuildResult result, string? context = null)
    {
        result.ExitCode.ShouldBe(0, $"the build should have succeeded:{Environment.NewLine}{result}{context}");
        result.ErrorCodes.ShouldBeEmpty(result.ToString());
        return result;
    }

    /// <summary>The build failed, and printed <paramref name="code"/> as an error.</summary>
    public static BuildResult ShouldFailWith(this BuildResult result, string code)
    {
        result.ExitCode.ShouldNotBe(0, $"the build should have failed with {code}:{Environment.NewLine}{result}");
        result.ErrorCodes.ShouldContain(code, result.ToString());
        return result;
    }

    /// <summary>
    /// The build failed and printed <paramref name="code"/>, as a warning or an error: for an
    /// outcome the wrapper reports per URI (a hash mismatch is a reason to try the next URI, so
    /// it cannot be an error by itself) before its final error.
    /// </summary>
    public static BuildResult ShouldFailReporting(this BuildResult result, string code)
    {
        result.ExitCode.ShouldNotBe(0, $"the build should have failed reporting {code}:{Environment.NewLine}{result}");
        result.ErrorCodes.ShouldNotBeEmpty(result.ToString());
        result.AllCodes.ShouldContain(code, result.ToString());
        return result;
    }

    public static BuildResult ShouldWarn(this BuildResult result, string code)
    {
        result.WarningCodes.ShouldContain(code, result.ToString());
        return result;
    }

    public static BuildResult ShouldNotWarn(this BuildResult result, string code)
    {
        result.WarningCodes.ShouldNotContain(code, result.ToString());
        return result;
    }

    public static BuildResult ShouldPrint(this BuildResult result, string text)
    {
        result.Output.ShouldContain(text, Case.Sensitive, result.ToString());
        return result;
    }

    public static BuildResult ShouldNotPrint(this BuildResult result, string text)
    {
        result.Output.ShouldNotContain(text, Case.Sensitive, result.ToString());
        return result;
    }
}
