using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using OverOpt.MLNet.Runtime;

namespace OverOpt.MLNet.RewardModels;

/// <summary>
/// Writes a FastTree reward model as an ONNX graph with <c>mlContext.Model.ConvertToOnnx</c> (Microsoft.ML.OnnxConverter).
/// The graph is the model's own ML.NET chain, step for step: MapValueToKey (ONNX LabelEncoder, token ids cast to
/// strings first), ProduceNgrams (TfIdfVectorizer), the FastTree ranker (TreeEnsembleRegressor) and the pi_init
/// normalization (Scaler). Reached as <c>mlContext.RewardModels().ExportToOnnx(...)</c>.
/// </summary>
/// <remarks>
/// The graph has one input, <see cref="InputName"/>: int32 token ids of shape [batch, responseLength] (ONNX needs the
/// vector's size; the prompt is not an input, since a FastTree model reads only the response), and one output,
/// <see cref="OutputName"/>: float [batch, 1], the normalized score (pi_init's samples have mean 0, std 1).
/// Responses of another length must not be padded or cut to fit: pads and missing tokens would be scored as tokens.
/// Transformer reward models (gold, transformer proxies) cannot be exported: see <see cref="Export"/>.
/// </remarks>
public static class RewardModelOnnx
{
    /// <summary>The graph's input: the response's token ids, int32 [batch, responseLength].</summary>
    public const string InputName = RewardInput.ResponseColumn;

    /// <summary>The graph's output: the normalized score, float [batch, 1] (ML.NET names a graph output column.output).</summary>
    public const string OutputName = RewardScore.ScoreColumn + ".output";

    /// <summary>
    /// Writes <paramref name="model"/> to <paramref name="stream"/> as ONNX. <paramref name="responseLength"/> fixes the
    /// input's size; null takes the one recorded in the model's provenance (models built by a pipeline have it).
    /// </summary>
    /// <exception cref="NotSupportedException">The model is a transformer reward model (or another kind that is no pure ML.NET chain).</exception>
    /// <exception cref="OverOptConfigurationException">The response length is not positive, or not given and not recorded.</exception>
    internal static void Export(MLContext mlContext, RewardModel model, Stream stream, int? responseLength)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stream);
        if (model is TransformerRewardModel)
        {
            throw new NotSupportedException(
                $"'{model.Name}' is a transformer reward model, which cannot be exported to ONNX: its network runs in TorchSharp inside an ML.NET "
                + "CustomMapping, and ML.NET has no ONNX converter for CustomMapping (the converter cannot see the network in the delegate), "
                + "nor does TorchSharp export ONNX. Fix: score it with OverOpt.MLNet itself (RewardModel.Score, or 'overopt score'), or train a "
                + "FastTree proxy (kind fasttree) where an ONNX model is needed.");
        }
        if (model is not FastTreeRewardModel)
        {
            throw new NotSupportedException($"'{model.Name}' is a '{model.Info.Kind}' reward model; only FastTree reward models (kind fasttree) export to ONNX.");
        }
        int length = responseLength ?? RecordedResponseLength(model.Info)
            ?? throw new OverOptConfigurationException(
                $"the response length of '{model.Name}' is not recorded in the model (it was not built by a pipeline), and ONNX needs the input's size.",
                "responseLength", "pass the number of tokens of the responses it scores (overopt export onnx --response-length N).");
        Require.Positive(length, "responseLength");

        var schema = SchemaDefinition.Create(typeof(ResponseRow));
        schema[InputName].ColumnType = new VectorDataViewType(NumberDataViewType.Int32, length);
        var input = mlContext.Data.LoadFromEnumerable(Array.Empty<ResponseRow>(), schema);
        using var graph = new MemoryStream();
        // Only the score is kept as an output: the intermediate keys and n-gram counts stay inside the graph.
        mlContext.Model.ConvertToOnnx(model.Transformer, input, graph, RewardScore.ScoreColumn);
        byte[] repaired = OnnxNgramRepair.CountEveryPooledLength(graph.ToArray());
        stream.Write(repaired, 0, repaired.Length);
    }

    /// <summary>The response length of the sampling a pipeline built the model for (its provenance's sampling.responseLength); null if not recorded.</summary>
    public static int? RecordedResponseLength(RewardModelInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (string.IsNullOrWhiteSpace(info.Provenance))
        {
            return null;
        }
        try
        {
            using var provenance = JsonDocument.Parse(info.Provenance);
            return provenance.RootElement.ValueKind == JsonValueKind.Object
                && provenance.RootElement.TryGetProperty("sampling", out var sampling)
                && sampling.ValueKind == JsonValueKind.Object
                && sampling.TryGetProperty("responseLength", out var length)
                && length.ValueKind == JsonValueKind.Number
                && length.TryGetInt32(out int value)
                ? value
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The one column the graph reads; its size is set by a schema definition at export.</summary>
    private sealed class ResponseRow
    {
        [ColumnName(RewardInput.ResponseColumn)]
        [VectorType]
        public int[] ResponseTokens { get; set; } = [];
    }
}

/// <summary>
/// Corrects the n-gram step of an ONNX graph written by ML.NET 5.0.1's converter. ML.NET writes the TfIdfVectorizer's
/// min_gram_length from the ProduceNgrams transformer's useAllLengths flag, which its model files do not keep: a
/// transformer loaded from a .zip reports false, and its graph then counts only the longest n-grams (for our
/// ngramLength 2: bigrams, no unigrams), silently scoring differently from the model it came from. ML.NET itself
/// scores by its n-gram pool alone (every pooled n-gram of any length counts), which is what min_gram_length 1 does
/// with the same pool, so every TfIdfVectorizer node gets min_gram_length 1 (a no-op for a model fitted in-process).
/// Edits the ONNX protobuf directly (ModelProto.graph 7, GraphProto.node 1, NodeProto.op_type 4 and attribute 5,
/// AttributeProto.name 1 and i 3), copying every other byte as it was.
/// </summary>
internal static class OnnxNgramRepair
{
    private const int WireVarint = 0;
    private const int Wire64 = 1;
    private const int WireLengthDelimited = 2;
    private const int Wire32 = 5;

    public static byte[] CountEveryPooledLength(byte[] model)
        => Rewrite(model, 7, graph => Rewrite(graph, 1, node => Text(node, 4) != "TfIdfVectorizer" ? node
            : Rewrite(node, 5, attribute => Text(attribute, 1) != "min_gram_length" ? attribute : WithVarint(attribute, 3, 1))));

    /// <summary>The message with each length-delimited field <paramref name="number"/> replaced by <paramref name="rewrite"/> of it.</summary>
    private static byte[] Rewrite(byte[] message, int number, Func<byte[], byte[]> rewrite)
    {
        using var output = new MemoryStream(message.Length);
        foreach (var field in Fields(message))
        {
            if (field.Number == number && field.WireType == WireLengthDelimited)
            {
                byte[] payload = rewrite(message[field.PayloadStart..field.End]);
                WriteVarint(output, ((ulong)number << 3) | WireLengthDelimited);
                WriteVarint(output, (ulong)payload.Length);
                output.Write(payload);
            }
            else
            {
                output.Write(message, field.Start, field.End - field.Start);
            }
        }
        return output.ToArray();
    }

    /// <summary>The message with its varint field <paramref name="number"/> set to <paramref name="value"/> (added if absent).</summary>
    private static byte[] WithVarint(byte[] message, int number, ulong value)
    {
        using var output = new MemoryStream(message.Length + 2);
        foreach (var field in Fields(message).Where(f => f.Number != number))
        {
            output.Write(message, field.Start, field.End - field.Start);
        }
        WriteVarint(output, ((ulong)number << 3) | WireVarint);
        WriteVarint(output, value);
        return output.ToArray();
    }

    /// <summary>The first length-delimited field <paramref name="number"/> as UTF-8 text; null if absent.</summary>
    private static string? Text(byte[] message, int number)
    {
        foreach (var field in Fields(message))
        {
            if (field.Number == number && field.WireType == WireLengthDelimited)
            {
                return System.Text.Encoding.UTF8.GetString(message, field.PayloadStart, field.End - field.PayloadStart);
            }
        }
        return null;
    }

    private readonly record struct Field(int Number, int WireType, int Start, int PayloadStart, int End);

    private static IEnumerable<Field> Fields(byte[] message)
    {
        int position = 0;
        while (position < message.Length)
        {
            int start = position;
            ulong tag = ReadVarint(message, ref position);
            int number = (int)(tag >> 3), wireType = (int)(tag & 7);
            int payloadStart = position;
            switch (wireType)
            {
                case WireVarint:
                    ReadVarint(message, ref position);
                    break;
                case Wire64:
                    position += 8;
                    break;
                case WireLengthDelimited:
                    ulong length = ReadVarint(message, ref position);
                    payloadStart = position;
                    position = checked(position + (int)length);
                    break;
                case Wire32:
                    position += 4;
                    break;
                default:
                    throw new InvalidDataException($"ONNX graph: unexpected protobuf wire type {wireType} at byte {start}.");
            }
            if (position > message.Length)
            {
                throw new InvalidDataException($"ONNX graph: a field at byte {start} runs past the end of its message.");
            }
            yield return new Field(number, wireType, start, payloadStart, position);
        }
    }

    private static ulong ReadVarint(byte[] message, ref int position)
    {
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (position >= message.Length)
            {
                throw new InvalidDataException("ONNX graph: a varint runs past the end of its message.");
            }
            byte b = message[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
        throw new InvalidDataException("ONNX graph: a varint is longer than 10 bytes.");
    }

    private static void WriteVarint(Stream output, ulong value)
    {
        while (value >= 0x80)
        {
            output.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        output.WriteByte((byte)value);
    }
}
