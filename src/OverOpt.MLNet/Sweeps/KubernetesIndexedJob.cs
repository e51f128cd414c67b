using System.Globalization;
using System.Text;
using System.Text.Json;

namespace OverOpt.MLNet.Sweeps;

/// <summary>
/// A Kubernetes Indexed Job manifest for a sweep's tasks (<c>completionMode: Indexed</c>, <c>completions</c> = tasks,
/// <c>parallelism</c> = the throttle): each pod runs <c>overopt sweep task</c>, which reads
/// <c>JOB_COMPLETION_INDEX</c>; a failed pod is retried with the same index (<c>backoffLimitPerIndex</c>, Kubernetes
/// 1.29 or later) and the other indices go on. The sweep file, the outputs and the artifact cache live on one shared
/// volume (a ReadWriteMany claim) mounted in every pod. Kubernetes has no dependencies between Jobs: run
/// <c>overopt sweep prepare</c> before (optional: tasks that need the same artifact build it once under the cache's
/// lock) and <c>overopt sweep merge</c> after the Job has completed.
/// </summary>
public static class KubernetesIndexedJob
{
    /// <param name="sweep">The sweep.</param>
    /// <param name="job">The command inside the image and the paths on the shared volume.</param>
    /// <param name="image">The container image that has overopt.</param>
    /// <param name="claim">The PersistentVolumeClaim of the shared volume.</param>
    /// <param name="mountPath">Where the volume is mounted in the pods.</param>
    public static string Write(SweepDefinition sweep, SweepJobOptions job, string image, string claim, string mountPath)
    {
        var c = CultureInfo.InvariantCulture;
        int tasks = sweep.Tasks.Count;
        string name = KubernetesName(sweep.Name);
        var s = new StringBuilder();
        s.AppendLine(c, $"# Sweep '{sweep.Name}' ({tasks} tasks) as a Kubernetes Indexed Job, written by 'overopt sweep k8s'.");
        s.AppendLine("# Before: overopt sweep prepare (optional). After completion: overopt sweep merge (same file, --output, --cache).");
        s.AppendLine("apiVersion: batch/v1");
        s.AppendLine("kind: Job");
        s.AppendLine("metadata:");
        s.AppendLine(c, $"  name: {Scalar(name)}");
        s.AppendLine("  labels:");
        s.AppendLine(c, $"    overopt-sweep: {Scalar(name)}");
        s.AppendLine("spec:");
        s.AppendLine("  completionMode: Indexed");
        s.AppendLine(c, $"  completions: {tasks}");
        s.AppendLine(c, $"  parallelism: {Math.Clamp(job.Throttle, 1, tasks)}");
        s.AppendLine("  backoffLimitPerIndex: 1");
        s.AppendLine(c, $"  maxFailedIndexes: {tasks}");
        s.AppendLine("  template:");
        s.AppendLine("    metadata:");
        s.AppendLine("      labels:");
        s.AppendLine(c, $"        overopt-sweep: {Scalar(name)}");
        s.AppendLine("    spec:");
        s.AppendLine("      restartPolicy: Never");
        s.AppendLine("      containers:");
        s.AppendLine("        - name: task");
        s.AppendLine(c, $"          image: {Scalar(image)}");
        s.AppendLine(c, $"          workingDir: {Scalar(mountPath)}");
        s.AppendLine("          command:");
        foreach (string word in job.Command("task"))
        {
            s.AppendLine(c, $"            - {Scalar(word)}");
        }
        s.AppendLine("          resources:");
        s.AppendLine("            requests:");
        s.AppendLine(c, $"              cpu: {Scalar(job.CpusPerTask.ToString(c))}");
        s.AppendLine("            limits:");
        s.AppendLine(c, $"              cpu: {Scalar(job.CpusPerTask.ToString(c))}");
        s.AppendLine("          volumeMounts:");
        s.AppendLine("            - name: shared");
        s.AppendLine(c, $"              mountPath: {Scalar(mountPath)}");
        s.AppendLine("      volumes:");
        s.AppendLine("        - name: shared");
        s.AppendLine("          persistentVolumeClaim:");
        s.AppendLine(c, $"            claimName: {Scalar(claim)}");
        return s.ToString();
    }

    /// <summary>A YAML scalar that is always a string: JSON's double-quoted form, which YAML reads the same.</summary>
    private static string Scalar(string value) => JsonSerializer.Serialize(value);

    /// <summary>A DNS-1123 label: lower case, digits and '-', at most 63 characters.</summary>
    private static string KubernetesName(string name)
    {
        var chars = name.ToLowerInvariant().Select(ch => char.IsAsciiLetterOrDigit(ch) ? ch : '-').ToArray();
        string label = new string(chars).Trim('-');
        label = label.Length > 52 ? label[..52].TrimEnd('-') : label;
        return (label.Length == 0 ? "sweep" : label) + "-tasks";
    }
}
