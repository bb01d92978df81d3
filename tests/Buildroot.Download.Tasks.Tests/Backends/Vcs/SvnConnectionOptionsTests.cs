using Buildroot.Download.Tasks.Backends;

namespace Buildroot.Download.Tasks.Tests.Backends.Vcs;

public sealed class SvnConnectionOptionsTests
{
    [Fact]
    public void Only_login_and_connection_options_are_kept_for_svn_info()
    {
        string[] dlOpts =
        [
            "--depth", "files", "--username", "builder", "--password=s3cret", "--native-eol", "LF",
            "--no-auth-cache", "--config-option", "servers:global:http-timeout=60", "--ignore-keywords",
        ];

        SvnConnectionOptions.From([.. dlOpts]).ShouldBe(
        [
            "--username", "builder", "--password=s3cret", "--no-auth-cache",
            "--config-option", "servers:global:http-timeout=60",
        ]);
    }
}
