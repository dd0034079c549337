import Foundation
import OnnxSchema
import Support
import SwiftProtobuf

/// Inputs and the outputs expected for them, in ONNX's test-data layout: a folder
/// `test_data_set_<i>/` next to `model.onnx` holding `input_<k>.pb` and `output_<k>.pb`, one
/// serialized `TensorProto` each, in the graph's input and output order. ONNX's and ONNX
/// Runtime's test runners read it as it is.
public struct OnnxTestDataSet: Equatable, Sendable {
    public var inputs: [NamedTensor]
    public var outputs: [NamedTensor]

    public init(inputs: [NamedTensor], outputs: [NamedTensor]) {
        self.inputs = inputs
        self.outputs = outputs
    }

    /// The folder name of data set `index`.
    public static func folderName(_ index: Int) -> String { "test_data_set_\(index)" }

    /// Writes the data set into `folder/test_data_set_<index>/`, each file atomically.
    public func write(into folder: URL, index: Int = 0) throws {
        let target = folder.appendingPathComponent(Self.folderName(index))
        for (prefix, tensors) in [("input", inputs), ("output", outputs)] {
            for (k, tensor) in tensors.enumerated() {
                let bytes: Data
                do { bytes = try tensor.proto.serializedBytes() } catch {
                    throw HwnasError("cannot serialise tensor '\(tensor.name)': \(error)")
                }
                try AtomicFile.write(bytes, to: target.appendingPathComponent("\(prefix)_\(k).pb"))
            }
        }
    }

    /// Reads `folder/test_data_set_<index>/`.
    public static func read(from folder: URL, index: Int = 0) throws -> OnnxTestDataSet {
        let source = folder.appendingPathComponent(folderName(index))
        func tensors(_ prefix: String) throws -> [NamedTensor] {
            var found: [NamedTensor] = []
            while true {
                let url = source.appendingPathComponent("\(prefix)_\(found.count).pb")
                guard FileManager.default.fileExists(atPath: url.path) else { return found }
                do {
                    found.append(try NamedTensor(proto: try Onnx_TensorProto(serializedBytes: try Data(contentsOf: url))))
                } catch {
                    throw HwnasError("\(url.path) is not a tensor: \(error)")
                }
            }
        }
        return OnnxTestDataSet(inputs: try tensors("input"), outputs: try tensors("output"))
    }
}
