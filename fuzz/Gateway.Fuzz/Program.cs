using Glassbox.Gateway.Fuzz;
using SharpFuzz;

// Glassbox.Gateway.Fuzz <target>                 under afl-fuzz: runs inputs from SharpFuzz's fork server
// Glassbox.Gateway.Fuzz <target> <file|dir>...   replays inputs (a crash found, the seed corpus) without afl-fuzz
// Glassbox.Gateway.Fuzz --seeds <target> <repository root> <dir>   writes the target's seed corpus
// Glassbox.Gateway.Fuzz --list                   the target names
// The instrumented gateway writes coverage from its first line of code (the target list reads its dialect registry):
// a map of its own until SharpFuzz's fork server points the instrumentation at afl-fuzz's shared memory.
UseLocalCoverageMap();
if (args.Length == 0 || args[0] == "--list")
{
    Console.WriteLine(string.Join('\n', FuzzTargets.All.Select(t => t.Name)));
    return args.Length == 0 ? 2 : 0;
}

if (args[0] == "--seeds" && args.Length == 4)
{
    // --seeds <target> <repository root> <out dir>
    var seeded = FuzzTargets.Find(args[1]) ?? throw new ArgumentException($"unknown target '{args[1]}'");
    Directory.CreateDirectory(args[3]);
    var count = 0;
    foreach (var seed in seeded.Seeds(args[2]))
    {
        File.WriteAllBytes(Path.Combine(args[3], seed.Name), seed.Bytes);
        count++;
    }

    Console.WriteLine($"{seeded.Name}: {count} seeds in {args[3]}");
    return count > 0 ? 0 : 1;
}

var target = FuzzTargets.Find(args[0]);
if (target is null)
{
    Console.Error.WriteLine($"unknown target '{args[0]}'; targets: {string.Join(", ", FuzzTargets.All.Select(t => t.Name))}");
    return 2;
}

if (args.Length > 1)
{
    var files = args[1..].SelectMany(path => Directory.Exists(path) ? Directory.GetFiles(path) : [path]).Order(StringComparer.Ordinal).ToList();
    foreach (var file in files)
    {
        target.Run(File.ReadAllBytes(file));
    }

    Console.WriteLine($"{target.Name}: {files.Count} inputs replayed, no invariant broken");
    return 0;
}

Fuzzer.OutOfProcess.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    target.Run(buffer.ToArray());
});
return 0;

static unsafe void UseLocalCoverageMap() => SharpFuzz.Common.Trace.SharedMem = (byte*)System.Runtime.InteropServices.NativeMemory.AllocZeroed(1 << 16);
