using OverOpt.MLNet.Policies;
using OverOpt.MLNet.Sampling;
using static TorchSharp.torch;

namespace WorldPilot;

/// <summary>log p(response | prompt) under a language model: how surprised it is by a response, in batches.</summary>
internal static class ResponseLikelihood
{
    public static double[] Of(GptModel model, IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> responses, int batchSize = 256)
    {
        var result = new double[prompts.Count];
        var device = model.parameters().First().device;
        model.eval();
        using var noGrad = no_grad();
        for (int start = 0; start < prompts.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            int count = Math.Min(batchSize, prompts.Count - start);
            var promptTensor = PolicySampler.PromptTensor(prompts.Skip(start).Take(count).ToArray(), device);
            var responseTensor = PolicySampler.PromptTensor(responses.Skip(start).Take(count).ToArray(), device);
            var logits = PolicySampler.ReferenceLogits(model, promptTensor, responseTensor);
            var sums = logits.log_softmax(-1).gather(-1, responseTensor.unsqueeze(-1)).squeeze(-1).sum(1).cpu();
            var values = sums.data<float>().ToArray();
            for (int i = 0; i < count; i++)
            {
                result[start + i] = values[i];
            }
        }
        return result;
    }
}
