using System.Globalization;
using System.Text;
using OverOpt.Experiments.Sweeps.Definition;

namespace OverOpt.Experiments.Sweeps.Schedulers;

/// <summary>
/// An sbatch driver script for a sweep: it submits (a) a prepare job (<c>overopt sweep prepare</c>: policies and gold
/// once), (b) the task array <c>--array=0-(N-1)%K</c> with <c>--dependency=afterok:&lt;prepare&gt;</c>, each element
/// running <c>overopt sweep task</c> (which reads <c>SLURM_ARRAY_TASK_ID</c>), and (c) a merge job
/// (<c>overopt sweep merge</c>) with <c>--dependency=afterany:&lt;array&gt;</c>, so it runs after every task, failed or
/// not. If the prepare job fails, the array and the merge are cancelled (<c>--kill-on-invalid-dep=yes</c>) rather than
/// left pending. <c>bash script.sh --wait</c> returns when the merge has finished, with its exit status.
/// </summary>
public static class SlurmScript
{
    /// <param name="sweep">The sweep.</param>
    /// <param name="job">Commands, paths, CPUs and throttle.</param>
    /// <param name="partition">Slurm partition, or null for the cluster's default.</param>
    /// <param name="time">Time limit of each job (Slurm's format, e.g. <c>2:00:00</c>), or null for the partition's.</param>
    /// <param name="workingDirectory">Where the jobs start.</param>
    public static string Write(SweepDefinition sweep, SweepJobOptions job, string? partition, string? time, string workingDirectory)
    {
        int tasks = sweep.Tasks.Count;
        int throttle = Math.Clamp(job.Throttle, 1, tasks);
        string logs = Path.Combine(job.OutputDirectory, "logs");
        var common = new List<string> { $"--chdir={workingDirectory}", $"--cpus-per-task={job.CpusPerTask.ToString(CultureInfo.InvariantCulture)}" };
        if (partition is not null)
        {
            common.Add($"--partition={partition}");
        }
        if (time is not null)
        {
            common.Add($"--time={time}");
        }
        var s = new StringBuilder();
        s.AppendLine("#!/usr/bin/env bash");
        s.AppendLine(CultureInfo.InvariantCulture, $"# Sweep '{sweep.Name}' ({tasks} tasks of {Path.GetFileName(sweep.File)}) on Slurm, written by 'overopt sweep slurm':");
        s.AppendLine("# a prepare job builds the policies and gold once; the task array runs after it has succeeded, at most");
        s.AppendLine(CultureInfo.InvariantCulture, $"# {throttle} at once; the merge job runs after the whole array, whether tasks failed or not, and lists the failed ones");
        s.AppendLine("# with the command that reruns each. Usage: bash THIS_SCRIPT [--wait]   (--wait: return when the merge has finished,");
        s.AppendLine("# with its exit status: 0 when every task is in the database). Job logs go to " + logs + ".");
        s.AppendLine("set -euo pipefail");
        s.AppendLine("wait_flag=()");
        s.AppendLine("if [ \"${1:-}\" = \"--wait\" ]; then wait_flag=(--wait); fi");
        s.AppendLine($"mkdir -p {ShellWords.Quote(logs)}");
        s.AppendLine($"common=({ShellWords.Join(common)})");
        s.AppendLine();
        Submit(s, "prepare", ["--parsable", $"--job-name={sweep.Name}-prepare", $"--output={logs}/prepare-%j.out"], [], job.Command("prepare"));
        Submit(s, "array", ["--parsable", $"--job-name={sweep.Name}-task", $"--array=0-{tasks - 1}%{throttle}", $"--output={logs}/task-%A_%a.out"],
            ["--dependency=afterok:$prepare", "--kill-on-invalid-dep=yes"], job.Command("task"));
        s.AppendLine($"echo \"jobs: prepare=$prepare array=$array ({tasks} tasks, at most {throttle} at once) merge: submitting\"");
        Submit(s, "merge", ["--parsable", $"--job-name={sweep.Name}-merge", $"--output={logs}/merge-%j.out"],
            ["--dependency=afterany:$array", "--kill-on-invalid-dep=yes", "\"${wait_flag[@]}\""], job.Command("merge"), last: true);
        return s.ToString();
    }

    /// <summary>
    /// One sbatch call, its job script on standard input (so no argument is quoted twice); quoted options are fixed,
    /// <paramref name="expanded"/> ones refer to earlier job ids.
    /// </summary>
    private static void Submit(StringBuilder s, string variable, IReadOnlyList<string> quoted, IReadOnlyList<string> expanded, IReadOnlyList<string> command, bool last = false)
    {
        string options = string.Join(' ', new[] { "\"${common[@]}\"", ShellWords.Join(quoted) }.Concat(expanded));
        if (last)
        {
            // With --wait, sbatch's status is the merge job's; print the ids first.
            s.AppendLine("status=0");
            s.AppendLine($"{variable}=$(sbatch {options} <<'JOB'");
        }
        else
        {
            s.AppendLine($"{variable}=$(sbatch {options} <<'JOB'");
        }
        s.AppendLine("#!/usr/bin/env bash");
        s.AppendLine($"exec {ShellWords.Join(command)}");
        s.AppendLine("JOB");
        if (last)
        {
            s.AppendLine(") || status=$?");
            s.AppendLine($"{variable}=${{{variable}%%;*}}");
            s.AppendLine($"echo \"jobs: prepare=$prepare array=$array merge=${variable}\"");
            s.AppendLine("exit $status");
        }
        else
        {
            s.AppendLine(")");
            s.AppendLine($"{variable}=${{{variable}%%;*}}");
            s.AppendLine();
        }
    }
}
