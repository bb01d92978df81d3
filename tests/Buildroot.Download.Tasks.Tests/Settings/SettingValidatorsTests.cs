using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Settings;

namespace Buildroot.Download.Tasks.Tests.Settings;

/// <summary>Each kind of setting: what it accepts, and the code and wording of a refusal.</summary>
public sealed class SettingValidatorsTests
{
    [Theory]
    [InlineData("true", true)]
    [InlineData("YES", true)]
    [InlineData(" False ", false)]
    [InlineData("no", false)]
    [InlineData("", true)]
    public void Boolean_accepts_MSBuild_and_Buildroot_spellings(string value, bool expected) =>
        SettingValidators.Boolean("BuildrootX", value, whenEmpty: true).ShouldBe(expected);

    [Fact]
    public void Boolean_refuses_anything_else_naming_the_property_and_the_values()
    {
        var e = Should.Throw<BrdlException>(() => SettingValidators.Boolean("BuildrootDownloadOffline", "1", whenEmpty: false));
        e.Code.ShouldBe(MessageCodes.InvalidBoolean);
        e.Message.ShouldBe("BuildrootDownloadOffline '1' is not a yes/no value: use true or false (YES and NO work too), or leave it empty for the default.");
    }

    [Theory]
    [InlineData("", 7)]
    [InlineData("1", 1)]
    [InlineData(" 16 ", 16)]
    public void Count_accepts_whole_numbers_in_range(string value, int expected) =>
        SettingValidators.Count("BuildrootN", value, whenEmpty: 7, minimum: 1, maximum: 64, "seven").ShouldBe(expected);

    [Theory]
    [InlineData("abc")]
    [InlineData("-3")]
    [InlineData("0")]
    [InlineData("65")]
    [InlineData("2.5")]
    [InlineData("+4")]
    public void Count_refuses_other_values(string value)
    {
        var e = Should.Throw<BrdlException>(() => SettingValidators.Count("BuildrootN", value, whenEmpty: 7, minimum: 1, maximum: 64, "seven"));
        e.Code.ShouldBe(MessageCodes.InvalidNumberSetting);
        e.Message.ShouldBe($"BuildrootN '{value}' is not a whole number from 1 to 64: give one, or leave it empty for the default (seven).");
    }

    [Theory]
    [InlineData("90", 90.0)]
    [InlineData("2.5", 2.5)]
    public void Seconds_accepts_positive_numbers(string value, double seconds) =>
        SettingValidators.Seconds("BuildrootT", value, TimeSpan.FromSeconds(60), zeroMeansNoLimit: false).ShouldBe(TimeSpan.FromSeconds(seconds));

    [Fact]
    public void Seconds_reads_empty_as_the_default_and_zero_as_no_limit_when_allowed()
    {
        SettingValidators.Seconds("BuildrootT", "", TimeSpan.FromSeconds(60), zeroMeansNoLimit: false).ShouldBe(TimeSpan.FromSeconds(60));
        SettingValidators.Seconds("BuildrootT", "0", TimeSpan.FromSeconds(60), zeroMeansNoLimit: true).ShouldBe(Timeout.InfiniteTimeSpan);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("ten")]
    [InlineData("1e3")]
    [InlineData("604801")]
    public void Seconds_refuses_other_values(string value)
    {
        var e = Should.Throw<BrdlException>(() => SettingValidators.Seconds("BuildrootDownloadTimeout", value, TimeSpan.FromSeconds(60), zeroMeansNoLimit: false));
        e.Code.ShouldBe(MessageCodes.InvalidTimeLimit);
        e.Message.ShouldStartWith($"BuildrootDownloadTimeout '{value}' is not a time limit: give a number of seconds");
    }

    [Fact]
    public void Directory_resolves_relative_paths_and_refuses_empty_ones_and_files()
    {
        string folder = Path.GetTempPath();
        SettingValidators.Directory("BuildrootDlDir", "dl", folder, "set it").ShouldBe(Path.Combine(folder, "dl"));

        var empty = Should.Throw<BrdlException>(() => SettingValidators.Directory("BuildrootDlDir", "  ", folder, "set it to the download folder"));
        (empty.Code, empty.Message).ShouldBe((MessageCodes.InvalidSetting, "BuildrootDlDir is empty: set it to the download folder."));

        string file = Path.Combine(folder, $"brdl-setting-{Guid.NewGuid():N}");
        File.WriteAllText(file, "x");
        try
        {
            Should.Throw<BrdlException>(() => SettingValidators.Directory("BuildrootDlDir", file, folder, "set it")).Message.ShouldContain("is a file");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("https://mirror.example.org/buildroot")]
    [InlineData("file:///srv/mirror")]
    [InlineData("scp://mirror.example.org:/srv/dl")]
    public void Site_accepts_mirror_urls(string value) =>
        SettingValidators.Site("BuildrootPrimarySite", value).ShouldBe(value);

    [Theory]
    [InlineData("mirror.example.org/pub", MessageCodes.InvalidSiteSetting)]
    [InlineData("git://mirror.example.org/x", MessageCodes.InvalidSiteSetting)]
    [InlineData("https://", MessageCodes.InvalidSiteSetting)]
    [InlineData("https://a b", MessageCodes.InvalidSiteSetting)]
    [InlineData("--upload-file=/etc/passwd", MessageCodes.ValueLooksLikeOption)]
    public void Site_refuses_what_is_not_a_mirror_url(string value, string code) =>
        Should.Throw<BrdlException>(() => SettingValidators.Site("BuildrootBackupSite", value)).Code.ShouldBe(code);

    [Fact]
    public void Site_refusal_never_shows_credentials() =>
        Should.Throw<BrdlException>(() => SettingValidators.Site("BuildrootPrimarySite", "git://bot:s3cret@host/x")).Message.ShouldNotContain("s3cret");

    [Fact]
    public void Program_defaults_and_refuses_options()
    {
        SettingValidators.Program("BuildrootGitPath", "", "git").ShouldBe("git");
        SettingValidators.Program("BuildrootGitPath", "/opt/git/bin/git", "git").ShouldBe("/opt/git/bin/git");
        Should.Throw<BrdlException>(() => SettingValidators.Program("BuildrootGitPath", "-c", "git")).Code.ShouldBe(MessageCodes.ValueLooksLikeOption);
    }
}
