using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Benchmarks.SideBySide;

/// <summary>A program to time as a whole process: its arguments as a list, never a shell string.</summary>
internal sealed record BenchCommand(string Program, IReadOnlyList<string> Arguments)
{
    public string? WorkingDirectory { get; init; }

    /// <summary>Variables to set (a null value removes one) on top of this process's environment.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    public BenchCommand With(string name, string? value) =>
        this with { Environment = new Dictionary<string, string?>(Environment) { [name] = value } };

    public override string ToString() => string.Join(' ', new[] { Program }.Concat(Arguments));
}

/// <summary>One run: the wall time, the peak resident memory of the largest process, and what it printed.</summary>
internal sealed record Sample(double Seconds, double PeakMiB, string Output);

/// <summary>
/// Runs a command and measures it from outside: wall time by a stopwatch around the process,
/// peak resident memory by GNU time's <c>%M</c> (the kernel's <c>ru_maxrss</c> of the process
/// and the children it waited for) where <c>/usr/bin/time</c> is installed.
/// </summary>
internal static class Measurement
{
    private const string GnuTime = "/usr/bin/time";

    public static bool MeasuresMemory => File.Exists(GnuTime);

    public static Sample Run(BenchCommand command)
    {
        string memoryFile = Path.GetTempFileName();
        string[] timed = MeasuresMemory ? [GnuTime, "-f", "%M", "-o", memoryFile, "--", command.Program] : [command.Program];
        ProcessStartInfo startInfo = ProcessRunner.CreateStartInfo(new ExternalCommand(timed[0])
        {
            Arguments = [.. timed[1..], .. command.Arguments],
            WorkingDirectory = command.WorkingDirectory,
            Environment = command.Environment.ToImmutableDictionary(StringComparer.Ordinal),
        });

        var output = new StringBuilder();
        var clock = Stopwatch.StartNew();
        using (var process = Process.Start(startInfo)!)
        {
            process.StandardInput.Close();
            Task<string> error = process.StandardError.ReadToEndAsync();
            output.Append(process.StandardOutput.ReadToEnd());
            process.WaitForExit();
            clock.Stop();
            output.Append(error.Result);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"'{command}' failed with exit code {process.ExitCode}:{System.Environment.NewLine}{Tail(output.ToString())}");
            }
        }

        double peakMiB = double.NaN;
        if (MeasuresMemory && File.ReadAllLines(memoryFile).LastOrDefault(l => l.Length > 0) is { } kib &&
            double.TryParse(kib, NumberStyles.Float, CultureInfo.InvariantCulture, out double kibibytes))
        {
            peakMiB = kibibytes / 1024;
        }

        File.Delete(memoryFile);
        return new Sample(clock.Elapsed.TotalSeconds, peakMiB, output.ToString());
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];
}

/// <summary>The runs of one variant of a row, and their medians.</summary>
internal sealed class Series(string name)
{
    private readonly List<Sample> _samples = [];

    public string Name { get; } = name;

    public IReadOnlyList<Sample> Samples => _samples;

    public double Median => MedianOf(_samples.Select(s => s.Seconds));

    public double MedianPeakMiB => MedianOf(_samples.Select(s => s.PeakMiB));

    public double Min => _samples.Min(s => s.Seconds);

    public double Max => _samples.Max(s => s.Seconds);

    public void Add(Sample sample) => _samples.Add(sample);

    public static double MedianOf(IEnumerable<double> values)
    {
        double[] sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Name,-34} median {Median,7:0.000} s  (min {Min:0.000}, max {Max:0.000}, spread {(Max - Min) / Median:P0})  peak {MedianPeakMiB,6:0.0} MiB");
}
