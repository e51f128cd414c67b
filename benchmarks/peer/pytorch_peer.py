#!/usr/bin/env python3
"""A plain-PyTorch peer of the OverOpt.MLNet benchmarks (benchmarks/OverOpt.Benchmarks).

It rebuilds the project's models with the same architecture, initialization and math, and times the same
operations, so that a runner can print project / PyTorch speed ratios:

  rm-train   RewardModelTrainingBenchmarks.Fit: TransformerRewardTrainer.Fit on 512 random comparisons (prompt 8,
             responses 16), 4 epochs of batches of 64 comparisons, AdamW with warm-up and cosine decay, then the
             normalization pass that scores both responses of every comparison once. Unit: one comparison trained
             for one epoch (2,048 per call).
  rm-score   RewardModelScoringBenchmarks.Score: TransformerRewardModel.Score of 1,024 random samples (prompt 8,
             response 16) in forward passes of 512, raw scores then the fitted normalization. Unit: one sample
             (1,024 per call).
  ppo-step   PpoBenchmarks.PpoStep: one PPO step (batch 64, prompt 8, response 16, 4 epochs x 4 minibatches, a
             token-count reward, beta 0), its KV-cache rollout and pi_init's pass included. Unit: one step.
  sample-kv  SamplingBenchmarks.KvCache: PolicySampler.Sample with the KV cache, batch 256, prompt 8, response 16,
             temperature 1, the policy as its own reference. Unit: one sampled token (4,096 per call).

Shapes "LxD" are L layers of width D, 4 heads, context 32 (benchmarks/OverOpt.Benchmarks/Shapes.cs); the vocabulary
is --vocab (154: the word vocabulary of the bundled tinytales corpus).

Output: one JSON line per (path, shape) on stdout, nothing else there; diagnostics go to stderr.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
from dataclasses import dataclass
from typing import Callable

import torch
import torch.nn.functional as F
from torch import nn

# ----------------------------------------------------------------------------------------------------------------
# Models (src/OverOpt.MLNet/Policies, RewardModels/RewardNetwork.cs, Ppo/ActorCritic.cs). Module and attribute names
# follow the C# fields, so that named_parameters() has the same names and order, which the initializer reads.
# ----------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GptShape:
    """GptShape.cs: layers, width (MLP 4x wider), heads, context, vocabulary."""

    layers: int = 2
    model_dim: int = 64
    heads: int = 4
    context: int = 32
    vocab: int = 154

    @property
    def head_dim(self) -> int:
        return self.model_dim // self.heads

    @staticmethod
    def parse(name: str, vocab: int) -> "GptShape":
        """Shapes.Parse: "2x32" is 2 layers of width 32, 4 heads, context 32."""
        layers, width = (int(part) for part in name.lower().split("x"))
        shape = GptShape(layers=layers, model_dim=width, heads=4, context=32, vocab=vocab)
        if width % shape.heads != 0:
            raise ValueError(f"shape {name}: 4 heads do not divide width {width}")
        return shape


class LayerKvCache:
    """LayerKvCache.cs: keys and values of one layer, preallocated to the context and zeroed."""

    def __init__(self, batch: int, shape: GptShape, device: torch.device):
        size = (batch, shape.heads, shape.context, shape.head_dim)
        self.keys = torch.zeros(size, device=device)
        self.values = torch.zeros(size, device=device)

    def append(self, keys: torch.Tensor, values: torch.Tensor, start: int):
        length = keys.shape[2]
        self.keys[:, :, start:start + length].copy_(keys)
        self.values[:, :, start:start + length].copy_(values)
        return self.keys[:, :, :start + length], self.values[:, :, :start + length]


class KvCache:
    """KvCache.cs: one LayerKvCache per block and the number of positions already decoded."""

    def __init__(self, shape: GptShape, batch: int, device: torch.device):
        self.layers = [LayerKvCache(batch, shape, device) for _ in range(shape.layers)]
        self.length = 0


class CausalSelfAttention(nn.Module):
    """CausalSelfAttention.cs: fused qkv, SDPA (causal for more than one new position), output projection."""

    def __init__(self, shape: GptShape):
        super().__init__()
        self.heads = shape.heads
        self.head_dim = shape.head_dim
        self.qkv = nn.Linear(shape.model_dim, 3 * shape.model_dim)
        self.proj = nn.Linear(shape.model_dim, shape.model_dim)

    def forward(self, x: torch.Tensor, cache: LayerKvCache | None, start: int) -> torch.Tensor:
        batch, length, width = x.shape
        q, k, v = self.qkv(x).view(batch, length, 3, self.heads, self.head_dim).permute(2, 0, 3, 1, 4).unbind(0)
        if cache is not None:
            if length > 1 and start > 0:
                raise NotImplementedError("the cache takes a multi-token prefill only when it is empty")
            k, v = cache.append(k, v, start)
        # A single new query attends to every cached position, so it needs no mask.
        attended = F.scaled_dot_product_attention(q, k, v, is_causal=length > 1)
        return self.proj(attended.transpose(1, 2).reshape(batch, length, width))


class TransformerBlock(nn.Module):
    """TransformerBlock.cs: pre-norm attention and GELU MLP (4x), residuals, no dropout."""

    def __init__(self, shape: GptShape):
        super().__init__()
        self.ln1 = nn.LayerNorm(shape.model_dim)
        self.attn = CausalSelfAttention(shape)
        self.ln2 = nn.LayerNorm(shape.model_dim)
        self.fc = nn.Linear(shape.model_dim, 4 * shape.model_dim)
        self.fcProj = nn.Linear(4 * shape.model_dim, shape.model_dim)

    def forward(self, x: torch.Tensor, cache: LayerKvCache | None, start: int) -> torch.Tensor:
        x = x + self.attn(self.ln1(x), cache, start)
        return x + self.fcProj(F.gelu(self.fc(self.ln2(x))))


class TransformerBackbone(nn.Module):
    """TransformerBackbone.cs: token and learned position embeddings, blocks, final layer norm."""

    def __init__(self, shape: GptShape):
        super().__init__()
        self.shape = shape
        self.wte = nn.Embedding(shape.vocab, shape.model_dim)
        self.wpe = nn.Embedding(shape.context, shape.model_dim)
        self.blocks = nn.ModuleList(TransformerBlock(shape) for _ in range(shape.layers))
        self.lnF = nn.LayerNorm(shape.model_dim)

    def forward(self, tokens: torch.Tensor, cache: KvCache | None = None) -> torch.Tensor:
        start = cache.length if cache is not None else 0
        length = tokens.shape[1]
        if start + length > self.shape.context:
            raise ValueError(f"{start + length} positions exceed the model's context of {self.shape.context}")
        positions = torch.arange(start, start + length, device=tokens.device)
        x = self.wte(tokens) + self.wpe(positions)
        for i, block in enumerate(self.blocks):
            x = block(x, cache.layers[i] if cache is not None else None, start)
        return self.lnF(x)


def initialize(module: nn.Module, layers: int, seed: int, overrides: dict[str, float] | None = None) -> None:
    """WeightInitializer.cs: GPT-2's init from a private generator, in named_parameters() order.

    N(0, 0.02) weights, "proj.weight" (attn.proj, fcProj) N(0, 0.02 / sqrt(2 layers)), zero biases, unit layer-norm
    gains; an overridden parameter draws N(0, std) from the same generator.
    """
    generator = torch.Generator().manual_seed(seed)
    residual_std = 0.02 / math.sqrt(2.0 * layers)
    with torch.no_grad():
        for name, parameter in module.named_parameters():
            is_norm = name.startswith("ln") or ".ln" in name
            if overrides is not None and name in overrides:
                parameter.copy_(torch.randn(parameter.shape, generator=generator) * overrides[name])
            elif name.endswith(".bias") or is_norm:
                parameter.fill_(1.0 if is_norm and name.endswith(".weight") else 0.0)
            else:
                scale = residual_std if name.lower().endswith("proj.weight") else 0.02
                parameter.copy_(torch.randn(parameter.shape, generator=generator) * scale)


class GptModel(nn.Module):
    """GptModel.cs: backbone and an untied output head (no bias)."""

    def __init__(self, shape: GptShape, seed: int):
        super().__init__()
        self.shape = shape
        self.backbone = TransformerBackbone(shape)
        self.head = nn.Linear(shape.model_dim, shape.vocab, bias=False)
        initialize(self, shape.layers, seed)

    def forward(self, tokens: torch.Tensor, cache: KvCache | None = None) -> torch.Tensor:
        logits = self.head(self.backbone(tokens, cache))
        if cache is not None:
            cache.length += tokens.shape[1]
        return logits

    def hidden(self, tokens: torch.Tensor) -> torch.Tensor:
        return self.backbone(tokens, None)

    def logits(self, hidden: torch.Tensor) -> torch.Tensor:
        return self.head(hidden)


class RewardNetwork(nn.Module):
    """RewardNetwork.cs with the benchmarks' readout (RewardReadout.MeanPool, the default): a linear head on the
    mean of the final hidden states over all positions; the head's weight starts N(0, 1/sqrt(width + 1))."""

    def __init__(self, shape: GptShape, seed: int):
        super().__init__()
        self.shape = shape
        self.backbone = TransformerBackbone(shape)
        self.scoreHead = nn.Linear(shape.model_dim, 1)
        initialize(self, shape.layers, seed, {"scoreHead.weight": 1.0 / math.sqrt(shape.model_dim + 1)})

    def forward(self, sequences: torch.Tensor) -> torch.Tensor:
        return self.scoreHead(self.backbone(sequences, None).mean(1)).squeeze(-1)


class ActorCritic(nn.Module):
    """ActorCritic.cs: the policy and a zero-initialized value head on its final hidden states."""

    def __init__(self, policy: GptModel):
        super().__init__()
        self.policy = policy
        self.valueHead = nn.Linear(policy.shape.model_dim, 1)
        with torch.no_grad():
            self.valueHead.weight.zero_()
            self.valueHead.bias.zero_()

    def forward(self, sequences: torch.Tensor):
        hidden = self.policy.hidden(sequences)
        return self.policy.logits(hidden), self.valueHead(hidden).squeeze(-1)


def parameter_count(module: nn.Module, trainable_only: bool = True) -> int:
    return sum(p.numel() for p in module.parameters() if p.requires_grad or not trainable_only)


def matmul_weights(module: nn.Module) -> int:
    """TransformerFlops.Check's count: 2-D ".weight" parameters other than the embeddings."""
    return sum(p.numel() for name, p in module.named_parameters()
               if name.endswith(".weight") and p.dim() == 2 and "wte" not in name and "wpe" not in name)


# ----------------------------------------------------------------------------------------------------------------
# Sampling (Sampling/PolicySampler.cs, Categorical.cs, SampleBatch.cs). The caller picks the grad mode: PolicySampler
# runs under no_grad; the sampling benchmark here uses inference_mode, PPO's rollout no_grad (its outputs are read by
# the autograd-recorded update, which inference tensors may not be).
# ----------------------------------------------------------------------------------------------------------------


def categorical_sample(probabilities: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """Categorical.Sample: inverse CDF with one uniform per row, scaled by the row total; (rows, 1) int64."""
    cumulative = probabilities.cumsum(-1)
    threshold = torch.rand((probabilities.shape[0], 1), dtype=cumulative.dtype, device=probabilities.device,
                           generator=generator) * cumulative[:, -1:]
    return (cumulative < threshold).sum(-1, keepdim=True).clamp_(max=probabilities.shape[1] - 1)


@dataclass
class SampleBatch:
    prompts: torch.Tensor
    responses: torch.Tensor
    log_probs: torch.Tensor
    reference_log_probs: torch.Tensor
    token_kl: torch.Tensor
    logits: torch.Tensor | None
    reference_log_softmax: torch.Tensor | None


def reference_logits(model: GptModel, prompts: torch.Tensor, responses: torch.Tensor) -> torch.Tensor:
    """PolicySampler.ReferenceLogits: one causal pass, the logits that predict each response token."""
    prompt_length, response_length = prompts.shape[1], responses.shape[1]
    logits = model(torch.cat([prompts, responses], 1))
    return logits[:, prompt_length - 1:prompt_length - 1 + response_length].contiguous()


def sample(policy: GptModel, reference: GptModel, prompts: torch.Tensor, response_length: int, temperature: float,
           generator: torch.Generator, keep_logits: bool = False) -> SampleBatch:
    """PolicySampler.Sample: KV-cache decoding by pi, pi_init's log-probabilities from one causal pass (none when
    it is the policy itself), the exact per-token KL."""
    batch, prompt_length = prompts.shape
    if prompt_length + response_length > policy.shape.context:
        raise ValueError("prompt plus response exceed the policy's context")
    policy.eval()
    reference.eval()
    device = prompts.device
    responses = torch.zeros((batch, response_length), dtype=torch.long, device=device)
    logits = torch.empty((batch, response_length, policy.shape.vocab), device=device)
    cache = KvCache(policy.shape, batch, device)
    following = policy(prompts, cache)[:, -1].contiguous()
    for t in range(response_length):
        scaled = following / temperature
        logits[:, t].copy_(scaled)
        token = categorical_sample(torch.softmax(scaled, -1), generator)
        responses[:, t:t + 1].copy_(token)
        if t + 1 < response_length:
            following = policy(token, cache)[:, -1].contiguous()
    log_probs = logits.log_softmax(-1)
    reference_log_probs = log_probs if reference is policy else \
        (reference_logits(reference, prompts, responses) / temperature).log_softmax(-1)
    index = responses.unsqueeze(-1)
    token_log_probs = log_probs.gather(-1, index).squeeze(-1)
    token_reference_log_probs = reference_log_probs.gather(-1, index).squeeze(-1)
    token_kl = (log_probs.exp() * (log_probs - reference_log_probs)).sum(-1).clamp_(min=0.0)
    return SampleBatch(prompts.clone(), responses, token_log_probs, token_reference_log_probs, token_kl,
                       logits if keep_logits else None,
                       (reference_log_probs.clone() if reference_log_probs is log_probs else reference_log_probs)
                       if keep_logits else None)


# ----------------------------------------------------------------------------------------------------------------
# Reward model training and scoring (Trainers/TransformerRewardTrainer.cs, RewardModels/TransformerRewardScorer.cs,
# TransformerRewardModel.cs, RewardNormalization.cs, Torch/LearningRateSchedule.cs)
# ----------------------------------------------------------------------------------------------------------------

SCORE_BATCH = 512  # TransformerRewardScorer.BatchSize


def learning_rate_at(step: int, steps: int, warmup_steps: int, peak: float) -> float:
    """LearningRateSchedule.At: linear warm-up from 0, then a cosine down to peak / 10 at the last step."""
    if step <= warmup_steps:
        return peak * step / max(1, warmup_steps)
    progress = min(1.0, (step - warmup_steps) / max(1, steps - warmup_steps))
    floor = 0.1 * peak
    return floor + (peak - floor) * 0.5 * (1 + math.cos(math.pi * progress))


def raw_scores(network: RewardNetwork, prompts: torch.Tensor, responses: torch.Tensor) -> torch.Tensor:
    """TransformerRewardScorer.Raw: prompt + response, forward passes of 512 sequences. Call under a no-grad mode."""
    network.eval()
    count = prompts.shape[0]
    scores = torch.empty(count)
    for start in range(0, count, SCORE_BATCH):
        end = min(count, start + SCORE_BATCH)
        scores[start:end] = network(torch.cat([prompts[start:end], responses[start:end]], 1))
    return scores


@dataclass
class RewardModel:
    network: RewardNetwork
    offset: torch.Tensor
    scale: torch.Tensor
    losses: torch.Tensor | None = None

    def score(self, prompts: torch.Tensor, responses: torch.Tensor) -> torch.Tensor:
        """TransformerRewardModel.Score: raw scores, then (raw - offset) * scale."""
        with torch.inference_mode():
            return (raw_scores(self.network, prompts, responses) - self.offset) * self.scale


def normalized(network: RewardNetwork, prompts: torch.Tensor, responses: torch.Tensor, losses=None) -> RewardModel:
    """TransformerRewardModel.Create: NormalizeMeanVariance fitted on the raw scores (offset = mean, scale = 1/std)."""
    with torch.inference_mode():
        raw = raw_scores(network, prompts, responses)
        return RewardModel(network, raw.mean(), 1.0 / raw.std(), losses)


@dataclass
class Comparisons:
    prompts: torch.Tensor   # (n, prompt length) int64
    chosen: torch.Tensor    # (n, response length)
    rejected: torch.Tensor  # (n, response length)


def fit_reward_model(shape: GptShape, seed: int, data: Comparisons, epochs: int = 4, batch_size: int = 64,
                     learning_rate: float = 2e-3, weight_decay: float = 0.01, gradient_clip: float = 1.0) -> RewardModel:
    """TransformerRewardTrainer.Fit: a fresh seeded network, the Bradley-Terry loss -log sigmoid(r_c - r_r) on
    batches of comparisons (chosen sequences stacked over rejected ones in one forward pass), AdamW (decoupled
    decay) with warm-up and cosine decay, gradient clipping, then normalization on both responses of each
    comparison."""
    network = RewardNetwork(shape, seed)
    optimizer = torch.optim.AdamW(network.parameters(), lr=learning_rate, weight_decay=weight_decay)
    count = data.prompts.shape[0]
    steps = (count + batch_size - 1) // batch_size * epochs
    warmup = max(1, steps // 20)
    order = torch.Generator().manual_seed(seed)
    network.train()
    losses = []
    step = 0
    for _ in range(epochs):
        permutation = torch.randperm(count, generator=order)
        for start in range(0, count, batch_size):
            step += 1
            for group in optimizer.param_groups:
                group["lr"] = learning_rate_at(step, steps, warmup, learning_rate)
            index = permutation[start:start + batch_size]
            prompts = data.prompts[index]
            sequences = torch.cat([torch.cat([prompts, data.chosen[index]], 1),
                                   torch.cat([prompts, data.rejected[index]], 1)], 0)
            scores = network(sequences)
            size = index.shape[0]
            loss = F.softplus(-(scores[:size] - scores[size:])).mean()
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(network.parameters(), gradient_clip)
            optimizer.step()
            losses.append(loss.detach())
    network.eval()
    prompts = data.prompts.repeat_interleave(2, 0)
    responses = torch.stack([data.chosen, data.rejected], 1).reshape(2 * count, -1)
    return normalized(network, prompts, responses, torch.stack(losses))


# ----------------------------------------------------------------------------------------------------------------
# PPO (Ppo/PpoTrainer.cs, PpoTrainer.Update.cs, Gae.cs, PpoTrainerDefaults.cs, PpoTrainerOptions.cs)
# ----------------------------------------------------------------------------------------------------------------


@dataclass
class PpoOptions:
    batch_size: int = 64
    ppo_epochs: int = 4
    mini_batches: int = 4
    learning_rate: float = 1e-5
    clip_range: float = 0.2
    value_clip_range: float = 0.2
    value_coefficient: float = 0.1
    gamma: float = 1.0
    lam: float = 0.95
    gradient_clip: float = 1.0
    temperature: float = 1.0
    response_length: int = 16
    kl_coefficient: float = 0.0   # the paper's (and PpoTrainer.Options') default
    exact_penalty: bool = True    # KlPenaltyEstimator.Exact, the default


def gae(rewards: torch.Tensor, values: torch.Tensor, gamma: float, lam: float):
    """Gae.Compute: advantages and returns (advantages + values) over fixed-length responses."""
    length = rewards.shape[1]
    advantages = [None] * length
    following = torch.zeros_like(rewards[:, 0])
    next_value = torch.zeros_like(following)
    for t in range(length - 1, -1, -1):
        delta = rewards[:, t] + next_value * gamma - values[:, t]
        following = delta + following * (gamma * lam)
        advantages[t] = following
        next_value = values[:, t]
    stacked = torch.stack(advantages, 1)
    return stacked, stacked + values


class PpoRun:
    """A PPO run of PpoTrainer.Fit without its evaluations: pi_init frozen as the reference, a copy of it trained with a
    value head, Adam (eps 1e-5), a generator seeding rollouts and minibatch order."""

    def __init__(self, reference: GptModel, prompts: torch.Tensor, reward_token: int, seed: int,
                 options: PpoOptions | None = None):
        self.options = options or PpoOptions()
        self.reference = reference
        for parameter in reference.parameters():
            parameter.requires_grad_(False)
        policy = GptModel(reference.shape, seed=0)
        policy.load_state_dict(reference.state_dict())          # Policy.Clone
        self.actor_critic = ActorCritic(policy)
        self.optimizer = torch.optim.Adam(self.actor_critic.parameters(), lr=self.options.learning_rate, eps=1e-5)
        self.generator = torch.Generator().manual_seed(seed)
        self.prompts = prompts
        self.reward_token = reward_token
        self.beta = self.options.kl_coefficient

    def reward(self, responses: torch.Tensor) -> torch.Tensor:
        """PpoBenchmarks.TokenCount: how often one token (the benchmark's "happy") occurs in the response."""
        return (responses == self.reward_token).sum(1).to(torch.float32)

    def step(self) -> dict[str, torch.Tensor]:
        """PpoTrainer.Step: rollout, reward, old values, GAE, whitening, the PPO epochs; diagnostics as tensors."""
        o = self.options
        actor_critic = self.actor_critic
        exact_penalty = o.exact_penalty and self.beta > 0
        chosen = torch.randint(0, self.prompts.shape[0], (o.batch_size,), generator=self.generator)
        prompts = self.prompts.index_select(0, chosen)
        with torch.no_grad():
            batch = sample(actor_critic.policy, self.reference, prompts, o.response_length, o.temperature,
                           self.generator, keep_logits=exact_penalty)
        scores = self.reward(batch.responses)
        distinct = torch.unique(batch.responses, dim=0).shape[0] / o.batch_size
        sequences = torch.cat([batch.prompts, batch.responses], 1)
        prompt_length = batch.prompts.shape[1]
        with torch.no_grad():
            actor_critic.eval()
            old_values = actor_critic(sequences)[1][:, prompt_length - 1:prompt_length - 1 + o.response_length]
            log_ratio = batch.log_probs - batch.reference_log_probs
            if o.exact_penalty:  # KlOfNextState: the exact KL at the state token t opens, 0 after the last
                penalty = torch.cat([batch.token_kl[:, 1:], torch.zeros_like(batch.token_kl[:, :1])], 1)
            else:
                penalty = log_ratio
            rewards = penalty * -self.beta
            rewards[:, o.response_length - 1] += scores
            advantages, returns = gae(rewards, old_values, o.gamma, o.lam)
            advantage_scale = advantages.std() + 1e-8
            whitened = (advantages - advantages.mean()) / advantage_scale
            explained_variance = 1 - (returns - old_values).var() / returns.var().clamp(min=1e-8)
        update = self.update(sequences, prompt_length, batch.log_probs, old_values, whitened, returns,
                             batch.reference_log_softmax if exact_penalty else None, self.beta / advantage_scale)
        with torch.no_grad():
            diagnostics = {
                "score": scores.mean(),
                "kl_exact": batch.token_kl.sum(1).mean(),
                "kl_k1": log_ratio.sum(1).mean(),
                "kl_k3": ((-log_ratio).exp() - 1 + log_ratio).sum(1).mean(),
                "explained_variance": explained_variance,
                "distinct": torch.tensor(distinct),
            }
        diagnostics.update(update)
        return diagnostics

    def update(self, sequences, prompt_length, old_log_probs, old_values, advantages, returns, reference_all,
               kl_weight) -> dict[str, torch.Tensor]:
        """PpoTrainer.Update: ppo_epochs passes of shuffled minibatches; clipped surrogate, clipped value loss, the
        exact KL penalty's loss term when on; global gradient clipping; Adam."""
        o = self.options
        actor_critic = self.actor_critic
        actor_critic.train()
        mini_batch = max(1, o.batch_size // o.mini_batches)
        response = slice(prompt_length - 1, prompt_length - 1 + o.response_length)
        totals = torch.zeros(6)  # policy loss, value loss, KL loss, clip fraction, approx KL, entropy
        updates = 0
        for _ in range(o.ppo_epochs):
            order = torch.randperm(o.batch_size, generator=self.generator)
            for start in range(0, o.batch_size, mini_batch):
                index = order[start:start + mini_batch]
                batch_sequences = sequences.index_select(0, index)
                logits, values = actor_critic(batch_sequences)
                log_probs_all = (logits[:, response] / o.temperature).log_softmax(-1)
                actions = batch_sequences[:, prompt_length:prompt_length + o.response_length].unsqueeze(-1)
                log_probs = log_probs_all.gather(-1, actions).squeeze(-1)
                new_values = values[:, response]
                advantage = advantages.index_select(0, index)
                old_log_prob = old_log_probs.index_select(0, index)
                old_value = old_values.index_select(0, index)
                target = returns.index_select(0, index)

                ratio = (log_probs - old_log_prob).exp()
                surrogate = torch.maximum(-advantage * ratio,
                                          -advantage * ratio.clamp(1 - o.clip_range, 1 + o.clip_range)).mean()
                clipped_values = old_value + (new_values - old_value).clamp(-o.value_clip_range, o.value_clip_range)
                value_error = torch.maximum((new_values - target).square(), (clipped_values - target).square()).mean() * 0.5
                loss = surrogate + value_error * o.value_coefficient
                kl_term = None
                if reference_all is not None:
                    reference = reference_all.index_select(0, index)
                    kl_term = (log_probs_all.exp() * (log_probs_all - reference)).sum(-1).mean()
                    loss = loss + kl_term * kl_weight
                self.optimizer.zero_grad()
                loss.backward()
                nn.utils.clip_grad_norm_(actor_critic.parameters(), o.gradient_clip)
                self.optimizer.step()

                with torch.no_grad():
                    totals += torch.stack([
                        surrogate.detach(),
                        value_error.detach(),
                        kl_term.detach() * o.response_length if kl_term is not None else torch.zeros(()),
                        ((ratio - 1).abs() > o.clip_range).float().mean(),
                        ((log_probs - old_log_prob).square() * 0.5).mean(),
                        (-(log_probs_all.exp() * log_probs_all).sum(-1)).mean(),
                    ])
                updates += 1
        totals /= updates
        names = ("policy_loss", "value_loss", "kl_loss", "clip_fraction", "approx_kl", "entropy")
        return dict(zip(names, totals.unbind(0)))


# ----------------------------------------------------------------------------------------------------------------
# Benchmarks
# ----------------------------------------------------------------------------------------------------------------

PROMPT_LENGTH = 8
RESPONSE_LENGTH = 16
RM_COMPARISONS = 512      # RewardModelTrainingBenchmarks.Comparisons
RM_EPOCHS = 4             # TransformerRewardTrainer.Defaults.Epochs
RM_SCORE_SAMPLES = 1024   # RewardModelScoringBenchmarks.Samples
SAMPLE_BATCH = 256        # SamplingBenchmarks.Batch
PPO_PROMPTS = 256         # PpoBenchmarks: 256 training prompts


def random_tokens(generator: torch.Generator, count: int, length: int, vocab: int) -> torch.Tensor:
    """Shapes.RandomTokens: token ids drawn uniformly from the vocabulary."""
    return torch.randint(0, vocab, (count, length), generator=generator)


@dataclass
class Case:
    params: int
    unit: str
    ops_per_call: int
    operation: Callable[[], object]  # one call of the operation


def rm_train_case(shape: GptShape, seed: int) -> Case:
    # RewardModelTrainingBenchmarks.Setup: 512 random comparisons (prompt 8, responses 16), seed 1 trainer.
    # One call is a whole Fit, which builds and initializes its network as the C# Fit does.
    data_generator = torch.Generator().manual_seed(seed + 6)
    data = Comparisons(random_tokens(data_generator, RM_COMPARISONS, PROMPT_LENGTH, shape.vocab),
                       random_tokens(data_generator, RM_COMPARISONS, RESPONSE_LENGTH, shape.vocab),
                       random_tokens(data_generator, RM_COMPARISONS, RESPONSE_LENGTH, shape.vocab))
    network = RewardNetwork(shape, seed)
    check_matmul_weights(network, shape, 1)
    return Case(parameter_count(network), "comparison-epoch", RM_COMPARISONS * RM_EPOCHS,
                lambda: fit_reward_model(shape, seed, data, epochs=RM_EPOCHS))


def rm_score_case(shape: GptShape, seed: int) -> Case:
    # RewardModelScoringBenchmarks: an untrained seed-1 network, normalized on the 1,024 samples it then scores.
    # One call is one Score of all 1,024 (two forward passes of 512).
    data_generator = torch.Generator().manual_seed(seed + 6)
    prompts = random_tokens(data_generator, RM_SCORE_SAMPLES, PROMPT_LENGTH, shape.vocab)
    responses = random_tokens(data_generator, RM_SCORE_SAMPLES, RESPONSE_LENGTH, shape.vocab)
    network = RewardNetwork(shape, seed)
    check_matmul_weights(network, shape, 1)
    model = normalized(network, prompts, responses)
    return Case(parameter_count(network), "sample", RM_SCORE_SAMPLES, lambda: model.score(prompts, responses))


def ppo_step_case(shape: GptShape, seed: int) -> Case:
    # PpoBenchmarks.PpoStep: pi_init of the shape (seed 1), 256 prompts of 8 tokens (the C# ones are the bundled
    # corpus's story openings; random tokens here), a token-count reward, run seed 1. One call is one PPO step.
    # Not included: the C# operation is a tenth of a 10-step Fit, so it also carries a tenth of the Fit's set-up
    # (cloning pi_init, the ML.NET prompt reading) and of its two 64-sample evaluations (step 0 and step 10: a
    # 64-sample rollout with pi_init's pass and the reward each), about 0.2 x a 64-sample rollout per step. Those
    # are left out here, so the C#/PyTorch ratio of this path is a little higher than that of the steps alone.
    reference = GptModel(shape, seed)
    check_matmul_weights(reference, shape, shape.vocab)
    prompt_generator = torch.Generator().manual_seed(seed + 2)
    prompts = random_tokens(prompt_generator, PPO_PROMPTS, PROMPT_LENGTH, shape.vocab)
    run = PpoRun(reference, prompts, reward_token=min(5, shape.vocab - 1), seed=seed)
    return Case(parameter_count(run.actor_critic), "step", 1, run.step)


def sample_kv_case(shape: GptShape, seed: int) -> Case:
    # SamplingBenchmarks.KvCache: a seed-1 model, 256 random prompts of 8 tokens, generator 5, the policy as its own
    # reference (so no reference pass and zero KL). One call samples 256 x 16 tokens.
    model = GptModel(shape, seed)
    check_matmul_weights(model, shape, shape.vocab)
    prompts = torch.randint(0, shape.vocab, (SAMPLE_BATCH, PROMPT_LENGTH), generator=torch.Generator().manual_seed(seed + 2))
    generator = torch.Generator().manual_seed(seed + 4)

    def operation():
        with torch.inference_mode():
            return sample(model, model, prompts, RESPONSE_LENGTH, 1.0, generator)

    return Case(parameter_count(model), "token", SAMPLE_BATCH * RESPONSE_LENGTH, operation)


CASES = {"rm-train": rm_train_case, "rm-score": rm_score_case, "ppo-step": ppo_step_case, "sample-kv": sample_kv_case}


def check_matmul_weights(module: nn.Module, shape: GptShape, head_outputs: int) -> None:
    """TransformerFlops.Check: 12 d^2 per layer plus the head's d x outputs."""
    expected = 12 * shape.layers * shape.model_dim ** 2 + shape.model_dim * head_outputs
    actual = matmul_weights(module)
    if actual != expected:
        raise AssertionError(f"matmul weights {actual} != {expected} for {shape}")


def run_case(path: str, shape_name: str, vocab: int, seed: int, warmup: int, repeats: int, threads: int) -> dict:
    shape = GptShape.parse(shape_name, vocab)
    case = CASES[path](shape, seed)
    for _ in range(warmup):
        case.operation()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        case.operation()
        samples.append(time.perf_counter() - start)
    return {
        "path": path, "shape": shape_name, "threads": threads, "params": case.params, "unit": case.unit,
        "ops_per_call": case.ops_per_call, "median_s": statistics.median(samples), "min_s": min(samples),
        "mean_s": statistics.fmean(samples), "samples_s": samples,
    }


# ----------------------------------------------------------------------------------------------------------------
# Self-test
# ----------------------------------------------------------------------------------------------------------------


def selftest(vocab: int, seed: int) -> bool:
    ok = True

    def report(name: str, passed: bool, detail: str) -> None:
        nonlocal ok
        ok &= passed
        print(f"selftest {'PASS' if passed else 'FAIL'} {name}: {detail}", file=sys.stderr)

    # 1. The cache: a prefill of 8 then one token at a time gives the logits of one causal pass, to 1e-5.
    for name in ("2x64", "3x32"):
        shape = GptShape.parse(name, vocab)
        model = GptModel(shape, seed).eval()
        tokens = torch.randint(0, vocab, (5, shape.context), generator=torch.Generator().manual_seed(seed + 10))
        with torch.inference_mode():
            full = model(tokens)
            cache = KvCache(shape, tokens.shape[0], tokens.device)
            parts = [model(tokens[:, :PROMPT_LENGTH], cache)]
            for t in range(PROMPT_LENGTH, shape.context):
                parts.append(model(tokens[:, t:t + 1], cache))
            cached = torch.cat(parts, 1)
            difference = (full - cached).abs().max().item()
        report(f"kv-cache {name}", difference <= 1e-5, f"max |logits difference| = {difference:.3g} (limit 1e-5)")

    # 2. The Bradley-Terry loss falls over a short fit (a learnable preference: chosen responses draw from the
    # lower half of the vocabulary, rejected ones from the upper half).
    shape = GptShape.parse("2x32", vocab)
    generator = torch.Generator().manual_seed(seed + 11)
    count, half = 256, vocab // 2
    data = Comparisons(random_tokens(generator, count, PROMPT_LENGTH, vocab),
                       torch.randint(0, half, (count, RESPONSE_LENGTH), generator=generator),
                       torch.randint(half, vocab, (count, RESPONSE_LENGTH), generator=generator))
    model = fit_reward_model(shape, seed, data, epochs=4)
    steps_per_epoch = len(model.losses) // 4
    first, last = model.losses[:steps_per_epoch].mean().item(), model.losses[-steps_per_epoch:].mean().item()
    report("pairwise loss", math.isfinite(last) and last < first and last < 0.9 * math.log(2),
           f"mean loss epoch 1 = {first:.4f}, epoch 4 = {last:.4f} (log 2 = {math.log(2):.4f})")
    scores = model.score(data.prompts, data.chosen) - model.score(data.prompts, data.rejected)
    accuracy = (scores > 0).float().mean().item()
    report("pairwise accuracy", accuracy > 0.9, f"train accuracy {accuracy:.3f}")

    # 3. Parameter counts agree with the architecture (and TransformerFlops' matmul weights).
    shape = GptShape.parse("2x64", vocab)
    d, v, layers = shape.model_dim, vocab, shape.layers
    block = 2 * 2 * d + (3 * d * d + 3 * d) + (d * d + d) + (4 * d * d + 4 * d) + (4 * d * d + d)
    gpt = v * d + shape.context * d + layers * block + 2 * d + v * d
    counted = parameter_count(GptModel(shape, seed))
    report("gpt parameters", counted == gpt, f"{counted} (expected {gpt})")
    counted = parameter_count(RewardNetwork(shape, seed))
    expected = gpt - v * d + d + 1
    report("reward parameters", counted == expected, f"{counted} (expected {expected})")

    # 4. The sampler draws valid tokens, a policy against itself has zero KL, and a PPO step runs with finite losses.
    model = GptModel(shape, seed)
    prompts = torch.randint(0, vocab, (16, PROMPT_LENGTH), generator=torch.Generator().manual_seed(seed + 12))
    with torch.inference_mode():
        batch = sample(model, model, prompts, RESPONSE_LENGTH, 1.0, torch.Generator().manual_seed(seed + 13))
    valid = bool(((batch.responses >= 0) & (batch.responses < vocab)).all()) and batch.token_kl.abs().max().item() == 0.0
    report("sampler", valid and batch.responses.shape == (16, RESPONSE_LENGTH),
           f"responses {tuple(batch.responses.shape)}, max KL {batch.token_kl.abs().max().item():.3g}")
    run = PpoRun(GptModel(shape, seed), prompts, reward_token=5, seed=seed)
    diagnostics = run.step()
    finite = all(math.isfinite(value.item()) for value in diagnostics.values())
    report("ppo step", finite, ", ".join(f"{k} {v.item():.4g}" for k, v in diagnostics.items()))
    return ok


# ----------------------------------------------------------------------------------------------------------------


def default_threads() -> int:
    """BenchmarkThreads.Count: OVEROPT_BENCH_THREADS when set, else every core."""
    try:
        threads = int(os.environ.get("OVEROPT_BENCH_THREADS", ""))
    except ValueError:
        threads = 0
    return threads if threads > 0 else (os.cpu_count() or 1)


def shape_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=default_threads(),
                        help="intra-op threads (default: OVEROPT_BENCH_THREADS, else all cores); inter-op threads are 1")
    parser.add_argument("--paths", default="rm-train,rm-score,ppo-step,sample-kv")
    parser.add_argument("--shapes-rm", default=None, help="rm-train (and rm-score) shapes (default 2x32,3x64)")
    parser.add_argument("--shapes-rm-score", default=None,
                        help="rm-score shapes (default: --shapes-rm when given, else 2x32,3x64,4x128)")
    parser.add_argument("--shapes-ppo", default="2x64")
    parser.add_argument("--shapes-sample", default="2x64,4x128")
    parser.add_argument("--vocab", type=int, default=154, help="vocabulary size (154: the bundled tinytales corpus)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed calls per (path, shape)")
    parser.add_argument("--repeats", type=int, default=5, help="timed calls per (path, shape)")
    parser.add_argument("--seed", type=int, default=1, help="model seed (data generators use seed+2, +4, +6)")
    parser.add_argument("--selftest", action="store_true", help="check the cache and the loss, then exit")
    args = parser.parse_args(argv)

    torch.set_num_threads(max(1, args.threads))
    torch.set_num_interop_threads(1)

    if args.selftest:
        passed = selftest(args.vocab, args.seed)
        print(f"selftest {'passed' if passed else 'FAILED'}", file=sys.stderr)
        return 0 if passed else 1

    shapes = {
        "rm-train": shape_list(args.shapes_rm or "2x32,3x64"),
        "rm-score": shape_list(args.shapes_rm_score or args.shapes_rm or "2x32,3x64,4x128"),
        "ppo-step": shape_list(args.shapes_ppo),
        "sample-kv": shape_list(args.shapes_sample),
    }
    paths = shape_list(args.paths)
    unknown = [p for p in paths if p not in CASES]
    if unknown:
        parser.error(f"unknown path(s) {', '.join(unknown)}; choose from {', '.join(CASES)}")
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread(s), vocab {args.vocab}", file=sys.stderr)
    for path in paths:
        for shape_name in shapes[path]:
            result = run_case(path, shape_name, args.vocab, args.seed, args.warmup, args.repeats, torch.get_num_threads())
            print(json.dumps(result), flush=True)
            print(f"{path} {shape_name}: median {result['median_s']:.4g} s/call, "
                  f"{result['median_s'] / result['ops_per_call'] * 1e6:.4g} us/{result['unit']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
