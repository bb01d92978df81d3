using System.Globalization;

namespace Buildroot.Download.Tasks.Infrastructure;

/// <summary>
/// Sizes, rates and durations as a person reads them in a build log: <c>2.9 MiB</c>,
/// <c>256 KiB/s</c>, <c>1 min 21 s</c>. Binary units, as wget and curl print them.
/// </summary>
internal static class TransferFigures
{
    private static readonly string[] Units = ["bytes", "KiB", "MiB", "GiB", "TiB"];

    public static string Size(long bytes)
    {
        if (bytes < 1024)
        {
            return bytes == 1 ? "1 byte" : $"{bytes.ToString(CultureInfo.InvariantCulture)} bytes";
        }

        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        // Three significant digits at most: 2.93 MiB, 29.3 MiB, 293 MiB.
        string format = value < 10 ? "0.##" : value < 100 ? "0.#" : "0";
        return $"{value.ToString(format, CultureInfo.InvariantCulture)} {Units[unit]}";
    }

    /// <summary><paramref name="bytes"/> over <paramref name="time"/>, per second; "—" when no time has passed.</summary>
    public static string Rate(long bytes, TimeSpan time) =>
        time <= TimeSpan.Zero ? "—" : $"{Size((long)(bytes / time.TotalSeconds))}/s";

    /// <summary>"0.4 s", "12 s", "1 min 21 s", "1 h 2 min".</summary>
    public static string Duration(TimeSpan time)
    {
        if (time < TimeSpan.FromSeconds(10))
        {
            return $"{Math.Max(0, time.TotalSeconds).ToString("0.#", CultureInfo.InvariantCulture)} s";
        }

        var whole = TimeSpan.FromSeconds(Math.Round(time.TotalSeconds));
        return whole.TotalHours >= 1 ? $"{(int)whole.TotalHours} h {whole.Minutes} min"
            : whole.TotalMinutes >= 1 ? $"{whole.Minutes} min {whole.Seconds} s"
            : $"{whole.Seconds} s";
    }
}
