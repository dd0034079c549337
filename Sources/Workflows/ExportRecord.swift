import Foundation
import Onnx
import Support
import SuperNet

/// config.json of an exported sub-network (`hwnas export`): what it is, where its weights
/// come from, how to call it, and the sizes of its blocks.
public struct ExportRecord: Codable, Sendable {
    public static let schemaVersion = 1
    public static let fileName = "config.json"

    /// Where the weights come from.
    public struct Weights: Codable, Equatable, Sendable {
        /// `checkpoint` (fine-tuned, sliced) or `seeded` (random, as the native runtime
        /// measures with).
        public var source: String
        public var checkpoint: String?
        /// SHA-256 of the checkpoint's model.safetensors.
        public var checkpointSha256: String?
        public var seed: UInt64?
        public var note: String
    }

    /// A model input or output: name, element type, extents (numbers or axis names).
    public struct Port: Codable, Equatable, Sendable {
        public var name: String
        public var elementType: String
        public var shape: [String]

        init(_ port: OnnxPort) {
            name = port.name
            elementType = port.elementType.rawValue
            shape = port.dimensions.map(\.description)
        }
    }

    public var schemaVersion: Int
    public var hwnasVersion: String
    public var createdAt: String
    public var space: String
    public var subnet: SubnetJSON
    /// `onnx` or `safetensors`.
    public var format: String
    /// The model file in the folder: model.onnx or model.safetensors.
    public var file: String
    public var weights: Weights
    /// ONNX's opset and IR version (ONNX files only).
    public var opset: Int?
    public var irVersion: Int?
    /// The model's inputs and outputs (ONNX files only).
    public var inputs: [Port]?
    public var outputs: [Port]?
    /// ONNX's test-data folder with an input and hwnas's own output for it (`--sample`).
    public var sample: String?
    public var macs: Int
    public var params: Int
    public var blocks: [ExportedBlock]

    public static func read(from url: URL) throws -> ExportRecord {
        try JSONFormat.decodeFile(ExportRecord.self, from: url, kind: "export record", schemaVersion: schemaVersion)
    }
}
