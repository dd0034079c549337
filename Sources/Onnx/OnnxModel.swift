import Foundation
import OnnxSchema
import Support
import SuperNet
import SwiftProtobuf

/// An ONNX model of one block or of a whole sub-network (opset 17, IR version 8), weights as
/// initialisers, built from weights handed in: the native runtime's seeded weights or a
/// checkpoint's slice. Its bytes are what ONNX Runtime loads.
public struct OnnxModel: Sendable {
    public static let opset = 17
    /// The IR version of opset 17 (ONNX 1.12), so that runtimes of that age load the files.
    public static let irVersion: Int64 = 8

    public let proto: Onnx_ModelProto
    public let inputs: [OnnxPort]
    public let outputs: [OnnxPort]

    /// The names of a text sub-network's inputs, in order, and of every model's output.
    public enum Names {
        public static let inputIDs = "input_ids"
        public static let attentionMask = "attention_mask"
        public static let tokenTypeIDs = "token_type_ids"
        public static let image = "input"
        public static let logits = "logits"
        /// A stand-alone block's input (but an embedding's: input_ids, token_type_ids) and output.
        public static let blockInput = "input"
        public static let blockOutput = "output"
    }

    init(graph builder: OnnxGraphBuilder, name: String, inputs: [OnnxPort], outputs: [OnnxPort], doc: String,
         metadata: [String: String]) {
        var graph = Onnx_GraphProto()
        graph.name = name
        graph.node = builder.nodes
        graph.initializer = builder.initializers
        graph.input = inputs.map(\.proto)
        graph.output = outputs.map(\.proto)
        var opset = Onnx_OperatorSetIdProto()
        opset.domain = ""
        opset.version = Int64(Self.opset)
        var model = Onnx_ModelProto()
        model.irVersion = Self.irVersion
        model.opsetImport = [opset]
        model.producerName = "hwnas"
        model.producerVersion = HwnasVersion.current
        model.docString = doc
        model.graph = graph
        model.metadataProps = metadata.sorted { $0.key < $1.key }.map { key, value in
            var entry = Onnx_StringStringEntryProto()
            entry.key = key
            entry.value = value
            return entry
        }
        proto = model
        self.inputs = inputs
        self.outputs = outputs
    }

    /// The model's bytes (a serialized `ModelProto`).
    public func serializedData() throws -> Data {
        do {
            return try proto.serializedBytes()
        } catch {
            throw HwnasError("cannot serialise ONNX model '\(proto.graph.name)': \(error)")
        }
    }

    /// Writes the model to `url` atomically.
    public func write(to url: URL) throws {
        try AtomicFile.write(try serializedData(), to: url)
    }

    /// Reads a model's bytes (for tests and tools that inspect what was written).
    public static func decode(_ data: Data) throws -> Onnx_ModelProto {
        do {
            return try Onnx_ModelProto(serializedBytes: data)
        } catch {
            throw HwnasError("not an ONNX model: \(error)")
        }
    }

    /// One block as a stand-alone model for `batch` samples at the block's own input size:
    /// input `input` in the block's layout (NCHW for images), or for an embedding `input_ids`
    /// and `token_type_ids` (int64 [batch, sequence]); output `output`.
    public static func block(_ block: Block, parameters: BlockParameters, batch: Int) throws -> OnnxModel {
        var builder = OnnxGraphBuilder()
        let n = OnnxDimension.fixed(batch)
        var inputs: [OnnxPort] = []
        let value: OnnxValue
        if case .embedding(let b) = block {
            let length = OnnxDimension.fixed(b.sequence)
            for name in [Names.inputIDs, Names.tokenTypeIDs] {
                builder.reserve(name)
                inputs.append(OnnxPort(name: name, elementType: .int64, dimensions: [n, length]))
            }
            value = try builder.appendBlock(block, parameters: parameters, input: OnnxValue(name: Names.inputIDs, layout: .tokens(length: length)),
                                            side: OnnxSideInputs(tokenTypes: Names.tokenTypeIDs))
        } else {
            let layout = OnnxValue.layout(of: block.input)
            builder.reserve(Names.blockInput)
            inputs.append(OnnxPort(name: Names.blockInput, elementType: .float, dimensions: OnnxValue.dimensions(of: layout, batch: n)))
            value = try builder.appendBlock(block, parameters: parameters, input: OnnxValue(name: Names.blockInput, layout: layout))
        }
        builder.rename(value.name, to: Names.blockOutput)
        let output = OnnxPort(name: Names.blockOutput, elementType: .float, dimensions: OnnxValue.dimensions(of: value.layout, batch: n))
        return OnnxModel(graph: builder, name: block.kind, inputs: inputs, outputs: [output],
                         doc: "hwnas block \(block.key), batch \(batch)", metadata: ["hwnas.block": block.key])
    }

    /// A whole sub-network: its blocks chained, each with its parameters. A network that
    /// starts with an embedding takes `input_ids`, `attention_mask` and `token_type_ids` (int64
    /// [batch, sequence]; padding masked as Hugging Face's BERT masks it); one that starts with
    /// an image takes `input` [batch, 3, r, r]. Both give `logits` [batch, classes]. `batch`
    /// and `sequence` may be named (dynamic) or fixed.
    public static func network(name: String, blocks: [(block: Block, parameters: BlockParameters)], batch: OnnxDimension,
                               sequence: OnnxDimension? = nil, doc: String = "", metadata: [String: String] = [:]) throws -> OnnxModel {
        guard let first = blocks.first?.block else { throw HwnasError("a network of no blocks") }
        var builder = OnnxGraphBuilder()
        var inputs: [OnnxPort] = []
        var value: OnnxValue
        var side = OnnxSideInputs()
        if case .embedding(let b) = first {
            let length = sequence ?? .fixed(b.sequence)
            for name in [Names.inputIDs, Names.attentionMask, Names.tokenTypeIDs] {
                builder.reserve(name)
                inputs.append(OnnxPort(name: name, elementType: .int64, dimensions: [batch, length]))
            }
            side = OnnxSideInputs(tokenTypes: Names.tokenTypeIDs, attentionBias: builder.attentionBias(mask: Names.attentionMask))
            value = OnnxValue(name: Names.inputIDs, layout: .tokens(length: length))
        } else {
            let layout = OnnxValue.layout(of: first.input)
            guard case .image = layout else { throw HwnasError("a network starting with block \(first.key) takes neither tokens nor an image") }
            builder.reserve(Names.image)
            inputs.append(OnnxPort(name: Names.image, elementType: .float, dimensions: OnnxValue.dimensions(of: layout, batch: batch)))
            value = OnnxValue(name: Names.image, layout: layout)
        }
        for (block, parameters) in blocks {
            value = try builder.appendBlock(block, parameters: parameters, input: value, side: side)
        }
        guard case .vector(let classes) = value.layout else {
            throw HwnasError("network \(name) ends in \(value.layout), not a vector of logits")
        }
        builder.rename(value.name, to: Names.logits)
        let output = OnnxPort(name: Names.logits, elementType: .float, dimensions: [batch, .fixed(classes)])
        return OnnxModel(graph: builder, name: name, inputs: inputs, outputs: [output], doc: doc, metadata: metadata)
    }
}
