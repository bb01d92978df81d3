using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Build.Evaluation;
using Microsoft.Build.Execution;
using Microsoft.Build.Framework;
using Microsoft.Build.Logging;

// Builds one project with the MSBuild engine this program carries, on the runtime it runs on:
//   Sdk8Host <project> <target;target> [Name=Value ...]
// It prints which runtime and which MSBuild ran, then the build's log at normal verbosity, and
// exits 0 when the build succeeded. There is no SDK here, hence no MSBuild task library
// (Microsoft.Build.Tasks.Core 17.11 is not served): MSBuild warns MSB4010 that its default tasks
// are missing, and a project may use only its own tasks, the package's, and intrinsic ones.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: Sdk8Host <project> <targets> [Name=Value ...]");
    return 2;
}

string project = Path.GetFullPath(args[0]);
string[] targets = args[1].Split(';', StringSplitOptions.RemoveEmptyEntries);
var properties = args.Skip(2)
    .Select(pair => pair.Split('=', 2))
    .ToDictionary(pair => pair[0], pair => pair.Length > 1 ? pair[1] : string.Empty, StringComparer.OrdinalIgnoreCase);

Console.WriteLine($"host runtime: {RuntimeInformation.FrameworkDescription}");
// MSBuild's assembly version is frozen at 15.1.0.0; its product version is the release (17.11.48+…).
string engine = typeof(BuildManager).Assembly.Location;
Console.WriteLine($"host MSBuild: {FileVersionInfo.GetVersionInfo(engine).ProductVersion} ({engine})");

using var collection = new ProjectCollection(properties);

// Which task assembly the package's .props chose for this MSBuild (they choose by the runtime).
Console.WriteLine($"tasks assembly: {new Project(project, properties, toolsVersion: null, collection).GetPropertyValue("BuildrootDownloadTasksAssembly")}");
var parameters = new BuildParameters(collection)
{
    Loggers = [new ConsoleLogger(LoggerVerbosity.Normal)],
    MaxNodeCount = 1,
    EnableNodeReuse = false,
};
BuildResult result = BuildManager.DefaultBuildManager.Build(
    parameters,
    new BuildRequestData(project, properties, toolsVersion: null, targets, hostServices: null));
Console.WriteLine($"host result: {result.OverallResult}");
return result.OverallResult == BuildResultCode.Success ? 0 : 1;
