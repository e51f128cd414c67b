using Microsoft.ML;
using OverOpt.MLNet.Comparisons;
using OverOpt.MLNet.Curves;
using OverOpt.MLNet.DirectAlignment;
using OverOpt.MLNet.RewardModels;
using static TorchSharp.torch;

namespace OverOpt.MLNet.Tests;

/// <summary>
/// Direct alignment: each loss and its gradient in the margin worked by hand; the tensor losses agree with them; and a
/// short fit on two pairs raises the chosen response's log-ratio over the rejected one's, with a curve that leaves pi_init.
/// </summary>
public class DirectAlignmentTests
{
    private sealed class FirstId : IRewardScorer
    {
        public string Name => "gold";

        public float[] Score(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> responses) => responses.Select(r => (float)r[0]).ToArray();
    }

    [Fact]
    [Trait(Speed.Category, Speed.Fast)]
    public void TheLossesAndTheirGradientsAtAMarginOfZeroAreTheHandValues()
    {
        const double beta = 0.5;
        // DPO: -log sigmoid(0) = ln 2; d/dh = -beta sigmoid(-beta h) = -beta / 2.
        Assert.Equal(Math.Log(2), DirectAlignmentObjective.Loss(0, DirectAlignmentLoss.Dpo, beta), 12);
        Assert.Equal(-0.25, DirectAlignmentObjective.Gradient(0, DirectAlignmentLoss.Dpo, beta), 12);
        // IPO: (0 - 1/(2 beta))^2 = 1; d/dh = 2 (h - 1) = -2: pushes the margin up to 1 / (2 beta) = 1, and back down past it.
        Assert.Equal(1, DirectAlignmentObjective.Loss(0, DirectAlignmentLoss.Ipo, beta), 12);
        Assert.Equal(-2, DirectAlignmentObjective.Gradient(0, DirectAlignmentLoss.Ipo, beta), 12);
        Assert.Equal(2, DirectAlignmentObjective.Gradient(2, DirectAlignmentLoss.Ipo, beta), 12);
        // SLiC: max(0, 1 - 0) = 1, slope -beta; past h = 1 / beta = 2 nothing is left to gain.
        Assert.Equal(1, DirectAlignmentObjective.Loss(0, DirectAlignmentLoss.Slic, beta), 12);
        Assert.Equal(-0.5, DirectAlignmentObjective.Gradient(0, DirectAlignmentLoss.Slic, beta), 12);
        Assert.Equal((0.0, 0.0), (DirectAlignmentObjective.Loss(3, DirectAlignmentLoss.Slic, beta), DirectAlignmentObjective.Gradient(3, DirectAlignmentLoss.Slic, beta)));
    }

    [Theory]
    [Trait(Speed.Category, Speed.Fast)]
    [InlineData(DirectAlignmentLoss.Dpo)]
    [InlineData(DirectAlignmentLoss.Ipo)]
    [InlineData(DirectAlignmentLoss.Slic)]
    public void TheTensorLossAndItsAutogradGradientMatchTheNumbers(DirectAlignmentLoss loss)
    {
        double[] margins = [-3, -0.5, 0.25, 1.5, 4];
        using var scope = NewDisposeScope();
        var h = tensor(margins, requires_grad: true);
        var values = DirectAlignmentObjective.Loss(h, loss, 0.3);
        values.sum().backward();
        var (computed, gradients) = (values.data<double>().ToArray(), h.grad!.data<double>().ToArray());
        for (int i = 0; i < margins.Length; i++)
        {
            Assert.Equal(DirectAlignmentObjective.Loss(margins[i], loss, 0.3), computed[i], 9);
            Assert.Equal(DirectAlignmentObjective.Gradient(margins[i], loss, 0.3), gradients[i], 9);
        }
    }

    [Fact]
    public void ShortTrainingRaisesTheChosenResponsesLogRatioOverTheRejectedOnes()
    {
        var ml = new MLContext(1);
        using var policy = Testing.TestModels.PretrainTiny(ml, context: 16, seed: 3);
        var random = new Random(5);
        int[] Tokens(int length) => Enumerable.Range(0, length).Select(_ => 3 + random.Next(policy.Tokenizer.VocabularySize - 3)).ToArray();
        var pairs = Enumerable.Range(0, 2).Select(_ => new ComparisonRow { PromptTokens = Tokens(4), ChosenTokens = Tokens(6), RejectedTokens = Tokens(6) }).ToArray();
        var options = new DirectAlignmentTrainer.Options
        {
            InitialPolicy = policy, Gold = new FirstId(), Beta = 0.5, Epochs = 8, BatchSize = 2, LearningRate = 1e-2,
            EvaluationData = ml.Policies().PromptRows(pairs.Select(p => p.PromptTokens).ToArray()), EvaluationPoints = 3, EvaluationSamples = 8,
        };

        var result = ml.Optimization().DirectAlignment(options).Fit(ml.Data.LoadFromEnumerable(PreferenceData.FromComparisons(pairs)));
        using var trained = result.Policy;

        // The first step starts from pi_init (margin 0); the margin then grows and the loss falls below ln 2.
        Assert.InRange(result.Steps[0].Margin, -1e-4, 1e-4);
        Assert.True(result.Steps[^1].Margin > 0.5, $"margin {result.Steps[^1].Margin}");
        Assert.True(result.Steps[^1].Loss < Math.Log(2));
        Assert.Equal(8, result.Steps.Count);
        Assert.Equal(1, result.StepsPerEpoch);
        // Curve: daa, proxy "dpo" at beta 0.5, from d = 0 at step 0 to a positive KL at the last step.
        Assert.All(result.Curve, p => Assert.Equal((OptimizationMethod.DirectAlignment, "dpo", 0.5), (p.Key.Method, p.Key.Proxy, p.Key.KlCoefficient)));
        Assert.Equal(0, result.Curve[0].Step);
        Assert.Equal(8, result.Curve[^1].Step);
        Assert.True(result.Curve[^1].Kl > 0.01, $"KL {result.Curve[^1].Kl}");
    }
}
