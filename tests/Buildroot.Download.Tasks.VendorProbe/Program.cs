using Buildroot.Download.Tasks;
using Buildroot.Download.Tasks.TestUtilities;

// Runs the CargoVendor or GoVendor task once, as a build in its own process would, and prints
// everything it logs as it logs it (a test can see it wait for a lock). Exit code 0 when the task succeeded.
//
//   VendorProbe cargo|go <archive> <download dir> <output archive> [<tool path>] [<go proxy>]
if (args.Length is < 4 or > 6 || args[0] is not ("cargo" or "go"))
{
    Console.Error.WriteLine("usage: VendorProbe cargo|go <archive> <download dir> <output archive> [<tool path>] [<go proxy>]");
    return 2;
}

string? toolPath = args.Length > 4 && args[4].Length > 0 ? args[4] : null;
var engine = new RecordingBuildEngine { Echo = Console.WriteLine };
VendoringTask task = args[0] == "cargo"
    ? new CargoVendor { CargoPath = toolPath }
    : new GoVendor { GoPath = toolPath, GoProxy = args.Length > 5 ? args[5] : null };
task.BuildEngine = engine;
task.Archive = args[1];
task.DownloadDirectory = args[2];
task.OutputArchive = args[3];

bool succeeded = task.Execute();
return succeeded ? 0 : 1;
