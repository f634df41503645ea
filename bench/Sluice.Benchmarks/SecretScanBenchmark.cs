using System.Diagnostics;
using System.Globalization;
using System.Text;
using Sluice.Secrets;

namespace Sluice.Benchmarks;

/// <summary>What keeping secrets out costs: scanning an artifact as it is written, and redacting log lines, with 0, 1 and 10 secrets.</summary>
internal static class SecretScanBenchmark
{
    private const int Chunk = 1 << 20;

    public static async Task<int> RunAsync(int sizeMiB, int repeat)
    {
        // JSON-like text, as most artifacts are: digits, quotes, keys; none of it a secret.
        var text = new StringBuilder();
        var random = new Random(42);
        while (text.Length < sizeMiB << 20)
        {
            text.Append(CultureInfo.InvariantCulture, $"{{\"Date\":\"2020-01-{random.Next(10, 28)}\",\"Close\":{random.NextDouble() * 4000:F4},\"Volume\":{random.Next()},\"Ticker\":\"SPX\"}},\n");
        }

        byte[] data = Encoding.UTF8.GetBytes(text.ToString())[..(sizeMiB << 20)];
        double gb = data.Length / 1e9;
        Console.WriteLine($"# {sizeMiB} MiB of JSON-like text in 1 MiB writes, one thread, best of {repeat}; {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        Console.WriteLine("secrets  forms  scan GB/s   redact ns/line (clean)   redact ns/line (one secret)");
        foreach (int count in new[] { 0, 1, 10 })
        {
            var redactor = new SecretRedactor();
            redactor.AddRange(Enumerable.Range(0, count).Select(i => ($"Api:Key{i}", $"sk_live_{i:D2}_9f8e7d6c5b4a+/ é")));
            TimeSpan best = TimeSpan.MaxValue;
            for (int r = 0; r < repeat; r++)
            {
                long start = Stopwatch.GetTimestamp();
                await SecretScanningStream.WriteAsync(Stream.Null, redactor, "step 'bench'", async stream =>
                {
                    for (int i = 0; i < data.Length; i += Chunk)
                    {
                        await stream.WriteAsync(data.AsMemory(i, Math.Min(Chunk, data.Length - i)));
                    }
                }, CancellationToken.None);
                TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
                best = elapsed < best ? elapsed : best;
            }

            string clean = "2026-11-27T10:15:00.000Z info [attempt 1] fetched 2,517 rows for SPX from https://api.example/query?f=daily";
            string dirty = clean + (count > 0 ? " key=sk_live_00_9f8e7d6c5b4a+/ é" : "");
            // With no secret the serializer writes to the store directly: there is no scan to time.
            string scan = count == 0 ? "  no scan" : (gb / best.TotalSeconds).ToString("F2", CultureInfo.InvariantCulture).PadLeft(9);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{count,7}  {redactor.Patterns?.Count ?? 0,5}  {scan}   {PerLine(redactor, clean),22:F0}   {PerLine(redactor, dirty),27:F0}"));
        }

        return 0;
    }

    private static double PerLine(SecretRedactor redactor, string line)
    {
        const int Lines = 200_000;
        double best = double.MaxValue;
        for (int r = 0; r < 3; r++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < Lines; i++)
            {
                _ = redactor.Redact(line);
            }

            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalNanoseconds / Lines);
        }

        return best;
    }
}
