"""BERT for sequence classification in plain PyTorch (no `transformers`), with Hugging Face's
parameter names, for the benches that compare hwnas's training with PyTorch's.

- `BertForSequenceClassification(config)`: post-layer-norm encoder, GELU (erf form), CLS ->
  pooler (dense + tanh) -> dropout -> linear classifier, as Hugging Face's; the additive mask
  of padded keys is the float32 minimum, as Hugging Face's.
- `read_safetensors(path)`: the tensors of a safetensors file as torch tensors (the format is an
  8-byte little-endian header length, a JSON header, raw little-endian data). No numpy: Debian's
  torch 1.13 is built against numpy 1.x, while the peers' environment holds numpy 2.
- `load_pretrained(model, folder, seed)`: the encoder, embeddings and pooler from the model
  folder's model.safetensors (names without the `bert.` prefix), the classifier initialised from
  `seed` as Hugging Face does (normal, standard deviation 0.02; zero bias).
- `BatchSchedule`: hwnas's batch order (Sources/Datasets/BatchSchedule.swift), so both sides
  train on the same batches.
- `subnetwork(model, layers, heads, intermediate)`: the weight-shared sub-network hwnas slices
  (the first layers; per layer the first heads and intermediate units), its weights views of
  the model's.
"""
import copy
import json
import math
import struct

import torch
from torch import nn

MASK64 = (1 << 64) - 1


def read_safetensors(path):
    """{name: torch tensor} of a safetensors file."""
    dtypes = {"F32": torch.float32, "F64": torch.float64, "F16": torch.float16, "BF16": torch.bfloat16,
              "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8,
              "BOOL": torch.bool}
    with open(path, "rb") as handle:
        (length,) = struct.unpack("<Q", handle.read(8))
        header = json.loads(handle.read(length))
        data = handle.read()
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        chunk = bytearray(data[begin:end])
        tensor = torch.frombuffer(chunk, dtype=dtypes[entry["dtype"]]) if chunk else torch.zeros(0, dtype=dtypes[entry["dtype"]])
        tensors[name] = tensor.reshape(entry["shape"]).clone()
    return tensors


class SelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        hidden = c["hidden_size"]
        self.heads = c["num_attention_heads"]
        self.head_size = hidden // self.heads
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)
        self.dropout = nn.Dropout(c["attention_probs_dropout_prob"])

    def forward(self, x, bias):
        b, s, _ = x.shape

        def split(t):
            return t.view(b, s, self.heads, self.head_size).transpose(1, 2)

        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.head_size) + bias
        probabilities = self.dropout(torch.softmax(scores, dim=-1))
        return (probabilities @ v).transpose(1, 2).reshape(b, s, -1)


class DenseNorm(nn.Module):
    """dense -> dropout -> residual + LayerNorm (Hugging Face's BertSelfOutput and BertOutput)."""

    def __init__(self, inner, hidden, c):
        super().__init__()
        self.dense = nn.Linear(inner, hidden)
        self.LayerNorm = nn.LayerNorm(hidden, eps=c["layer_norm_eps"])
        self.dropout = nn.Dropout(c["hidden_dropout_prob"])

    def forward(self, x, residual):
        return self.LayerNorm(self.dropout(self.dense(x)) + residual)


class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.self = SelfAttention(c)
        self.output = DenseNorm(c["hidden_size"], c["hidden_size"], c)

    def forward(self, x, bias):
        return self.output(self.self(x, bias), x)


class Intermediate(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["intermediate_size"])

    def forward(self, x):
        return nn.functional.gelu(self.dense(x))


class Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = Attention(c)
        self.intermediate = Intermediate(c)
        self.output = DenseNorm(c["intermediate_size"], c["hidden_size"], c)

    def forward(self, x, bias):
        a = self.attention(x, bias)
        return self.output(self.intermediate(a), a)


class Encoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = nn.ModuleList(Layer(c) for _ in range(c["num_hidden_layers"]))

    def forward(self, x, bias):
        for layer in self.layer:
            x = layer(x, bias)
        return x


class Embeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        hidden = c["hidden_size"]
        self.word_embeddings = nn.Embedding(c["vocab_size"], hidden, padding_idx=c.get("pad_token_id", 0))
        self.position_embeddings = nn.Embedding(c["max_position_embeddings"], hidden)
        self.token_type_embeddings = nn.Embedding(c["type_vocab_size"], hidden)
        self.LayerNorm = nn.LayerNorm(hidden, eps=c["layer_norm_eps"])
        self.dropout = nn.Dropout(c["hidden_dropout_prob"])

    def forward(self, ids, types):
        positions = torch.arange(ids.shape[1]).unsqueeze(0)
        x = self.word_embeddings(ids) + self.position_embeddings(positions) + self.token_type_embeddings(types)
        return self.dropout(self.LayerNorm(x))


class Pooler(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["hidden_size"])

    def forward(self, x):
        return torch.tanh(self.dense(x[:, 0]))


class Bert(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embeddings = Embeddings(c)
        self.encoder = Encoder(c)
        self.pooler = Pooler(c)

    def forward(self, ids, mask, types):
        bias = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
        return self.pooler(self.encoder(self.embeddings(ids, types), bias))


class BertForSequenceClassification(nn.Module):
    def __init__(self, c, labels=2):
        super().__init__()
        self.bert = Bert(c)
        self.dropout = nn.Dropout(c.get("classifier_dropout") or c["hidden_dropout_prob"])
        self.classifier = nn.Linear(c["hidden_size"], labels)

    def forward(self, ids, mask, types):
        return self.classifier(self.dropout(self.bert(ids, mask, types)))


def load_pretrained(model, folder, seed):
    """The pre-trained encoder from `folder`/model.safetensors; the classifier from `seed`."""
    tensors = read_safetensors(f"{folder}/model.safetensors")
    state = {}
    for name, tensor in tensors.items():
        if name.endswith("position_ids"):
            continue
        key = name if name.startswith("bert.") or name.startswith("classifier.") else "bert." + name
        state[key] = tensor
    generator = torch.Generator().manual_seed(seed)
    weight = model.classifier.weight
    state["classifier.weight"] = torch.normal(0.0, 0.02, size=weight.shape, generator=generator)
    state["classifier.bias"] = torch.zeros(model.classifier.bias.shape)
    missing, unexpected = model.load_state_dict(state, strict=False)
    if missing or unexpected:
        raise SystemExit(f"{folder}/model.safetensors: missing {missing}, unexpected {unexpected}")


def _view(parameter, rows=None, columns=None):
    """A parameter over the first `rows` (and `columns`) of `parameter`: a view, not a copy."""
    tensor = parameter.detach()
    if rows is not None:
        tensor = tensor[:rows]
    if columns is not None:
        tensor = tensor[:, :columns]
    return nn.Parameter(tensor, requires_grad=False)


def subnetwork(model, layers, heads, intermediate):
    """The sub-network of `model` that runs its first `layers` layers, in layer i the first
    `heads[i]` heads (rows of the query, key and value weights and biases, columns of the
    attention output weight) and the first `intermediate[i]` units (rows of the intermediate
    weight and bias, columns of the output weight): hwnas's weight sharing. Its weights are
    views of `model`'s (for evaluation; `model` is unchanged)."""
    # Deep-copy the modules but not the parameters: every parameter not sliced stays shared.
    shared = {id(parameter): parameter for parameter in model.parameters()}
    sub = copy.deepcopy(model, shared)
    encoder = sub.bert.encoder
    if not 1 <= layers <= len(encoder.layer):
        raise ValueError(f"{layers} layers: the model has {len(encoder.layer)}")
    encoder.layer = encoder.layer[:layers]
    for index, layer in enumerate(encoder.layer):
        attention = layer.attention.self
        count, units = heads[index], intermediate[index]
        if not 1 <= count <= attention.heads:
            raise ValueError(f"layer {index}: {count} heads, the model has {attention.heads}")
        if not 1 <= units <= layer.intermediate.dense.out_features:
            raise ValueError(f"layer {index}: {units} intermediate units, the model has {layer.intermediate.dense.out_features}")
        inner = count * attention.head_size
        for projection in (attention.query, attention.key, attention.value):
            projection.weight = _view(projection.weight, rows=inner)
            projection.bias = _view(projection.bias, rows=inner)
            projection.out_features = inner
        attention.heads = count
        dense = layer.attention.output.dense
        dense.weight = _view(dense.weight, columns=inner)
        dense.in_features = inner
        grow = layer.intermediate.dense
        grow.weight = _view(grow.weight, rows=units)
        grow.bias = _view(grow.bias, rows=units)
        grow.out_features = units
        shrink = layer.output.dense
        shrink.weight = _view(shrink.weight, columns=units)
        shrink.in_features = units
    return sub


def adamw(model, lr, weight_decay):
    """AdamW with the usual BERT grouping: no decay on biases and LayerNorm weights."""
    decay, no_decay = [], []
    for name, parameter in model.named_parameters():
        (no_decay if name.endswith("bias") or "LayerNorm.weight" in name else decay).append(parameter)
    return torch.optim.AdamW([{"params": decay, "weight_decay": weight_decay},
                              {"params": no_decay, "weight_decay": 0.0}], lr=lr, betas=(0.9, 0.999), eps=1e-8)


def linear_warmup(optimizer, total_steps, warmup_ratio=0.06):
    warmup = math.ceil(total_steps * warmup_ratio)

    def factor(step):
        if step < warmup:
            return step / max(1, warmup)
        return max(0.0, (total_steps - step) / max(1, total_steps - warmup))

    return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)


def _mix(value):
    z = value & MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return z ^ (z >> 31)


class _Generator:
    def __init__(self, seed):
        self.state = seed & MASK64

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        return _mix(self.state)


class BatchSchedule:
    """hwnas's batch order: a permutation per epoch from the seed and the epoch alone."""

    def __init__(self, count, batch_size, seed, drop_last=False):
        self.count, self.batch_size, self.seed, self.drop_last = count, batch_size, seed, drop_last
        self.per_epoch = count // batch_size if drop_last else -(-count // batch_size)
        self._cache = {}

    def permutation(self, epoch):
        if epoch not in self._cache:
            generator = _Generator(_mix((self.seed + _mix((epoch + 1) & MASK64)) & MASK64))
            order = list(range(self.count))
            for index in range(self.count - 1, 0, -1):
                bound = index + 1
                threshold = ((1 << 64) - bound) % bound
                while True:
                    value = generator.next()
                    if value >= threshold:
                        break
                other = value % bound
                order[index], order[other] = order[other], order[index]
            self._cache = {epoch: order}
        return self._cache[epoch]

    def batch(self, step):
        epoch = step // self.per_epoch
        order = self.permutation(epoch)
        start = (step % self.per_epoch) * self.batch_size
        return order[start:min(self.count, start + self.batch_size)]


def pad(sequences, labels):
    """ids, mask, token types and labels of a batch padded to its longest sequence."""
    length = max(len(s) for s in sequences)
    ids = torch.zeros((len(sequences), length), dtype=torch.long)
    mask = torch.zeros((len(sequences), length), dtype=torch.long)
    for row, sequence in enumerate(sequences):
        ids[row, :len(sequence)] = torch.tensor(sequence)
        mask[row, :len(sequence)] = 1
    return ids, mask, torch.zeros_like(ids), torch.tensor(labels)
