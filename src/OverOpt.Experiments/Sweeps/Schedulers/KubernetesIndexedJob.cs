using System.Globalization;
using System.Text.Json;
using OverOpt.Experiments.Sweeps.Definition;

namespace OverOpt.Experiments.Sweeps.Schedulers;

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
        string cpus = Scalar(job.CpusPerTask.ToString(c));
        string command = string.Concat(job.Command("task").Select(word => $"\n            - {Scalar(word)}"));
        return $$"""
            # Sweep '{{sweep.Name}}' ({{tasks}} tasks) as a Kubernetes Indexed Job, written by 'overopt sweep k8s'.
            # Before: overopt sweep prepare (optional). After completion: overopt sweep merge (same file, --output, --cache).
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: {{Scalar(name)}}
              labels:
                overopt-sweep: {{Scalar(name)}}
            spec:
              completionMode: Indexed
              completions: {{tasks}}
              parallelism: {{Math.Clamp(job.Throttle, 1, tasks)}}
              backoffLimitPerIndex: 1
              maxFailedIndexes: {{tasks}}
              template:
                metadata:
                  labels:
                    overopt-sweep: {{Scalar(name)}}
                spec:
                  restartPolicy: Never
                  containers:
                    - name: task
                      image: {{Scalar(image)}}
                      workingDir: {{Scalar(mountPath)}}
                      command:{{command}}
                      resources:
                        requests: { cpu: {{cpus}} }
                        limits: { cpu: {{cpus}} }
                      volumeMounts:
                        - name: shared
                          mountPath: {{Scalar(mountPath)}}
                  volumes:
                    - name: shared
                      persistentVolumeClaim:
                        claimName: {{Scalar(claim)}}

            """;
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
