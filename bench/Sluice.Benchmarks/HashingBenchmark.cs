using System.Diagnostics;
using System.Globalization;
using System.IO.Hashing;
using System.Security.Cryptography;
using Sluice.Artifacts;
using Sluice.FileSystem;

namespace Sluice.Benchmarks;

/// <summary>Hashing throughput on one core for the content-hash choice (docs/adr/0002-content-hash.md).</summary>
internal static class HashingBenchmark
{
    private const int Chunk = 1 << 20;

    public static async Task<int> RunAsync(int sizeMiB, int repeat, string directory)
    {
        byte[] data = new byte[(long)sizeMiB << 20];
        new Random(42).NextBytes(data); // incompressible, and no algorithm gets a lucky pattern
        double gb = data.LongLength / 1e9;
        Console.WriteLine($"# {sizeMiB} MiB, 1 MiB appends, one thread, best of {repeat}; {Environment.ProcessorCount} cores, .NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
        Console.WriteLine($"# AVX2: {System.Runtime.Intrinsics.X86.Avx2.IsSupported}; AVX-512: {System.Runtime.Intrinsics.X86.Avx512F.IsSupported} (SHA-256 uses OpenSSL, which uses SHA-NI when the CPU has it)");
        Console.WriteLine("what                               GB/s");

        Report("buffer sha256 (IncrementalHash)", gb, Best(repeat, () =>
        {
            using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            for (long i = 0; i < data.LongLength; i += Chunk)
            {
                h.AppendData(data, (int)i, Chunk);
            }

            _ = h.GetHashAndReset();
        }));
        Report("buffer xxh128 (XxHash128)", gb, Best(repeat, () => Append(new XxHash128(), data)));
        Report("buffer xxh3 (XxHash3, 64-bit)", gb, Best(repeat, () => Append(new XxHash3(), data)));

        Directory.CreateDirectory(directory);
        foreach (string algorithm in new[] { ContentHash.Xxh128, ContentHash.Sha256 })
        {
            TimeSpan best = TimeSpan.MaxValue;
            for (int r = 0; r < repeat; r++)
            {
                var store = new FileSystemArtifactStore(directory, new FileSystemArtifactStoreOptions { HashAlgorithm = algorithm, ObjectsDirectory = "objects-" + algorithm });
                long start = Stopwatch.GetTimestamp();
                ArtifactRef written = await store.WriteAsync(async (stream, ct) =>
                {
                    for (long i = 0; i < data.LongLength; i += Chunk)
                    {
                        await stream.WriteAsync(data.AsMemory((int)i, Chunk), ct);
                    }
                });
                TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
                best = elapsed < best ? elapsed : best;
                await store.DeleteAsync(written.Hash); // the next repeat writes afresh instead of finding the object
            }

            Report($"store write {algorithm} (file + fsync)", gb, best);
        }

        return 0;
    }

    private static void Append(NonCryptographicHashAlgorithm hash, byte[] data)
    {
        for (long i = 0; i < data.LongLength; i += Chunk)
        {
            hash.Append(data.AsSpan((int)i, Chunk));
        }

        _ = hash.GetCurrentHash();
    }

    private static TimeSpan Best(int repeat, Action action)
    {
        action(); // warm-up: JIT and page faults
        TimeSpan best = TimeSpan.MaxValue;
        for (int r = 0; r < repeat; r++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
            best = elapsed < best ? elapsed : best;
        }

        return best;
    }

    private static void Report(string what, double gb, TimeSpan elapsed) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what,-34} {gb / elapsed.TotalSeconds,5:F2}"));
}
