import Foundation
import Hardware
import Support

/// The modes of block-bench that serve a comparison with another runtime, run by
/// `scripts/ort_bench.py`:
///   --peer-blocks                       the build and the compared blocks, as JSON
///   --dump=NAME --out=DIR               a block's weights, input and output (`BlockDump`)
///   --time=NAME [--seconds=S] [--pu=P]  one workload timed on one PU (`BlockTimer`), one JSON line
/// NAME is a short name from `--peer-blocks`, a block key, or for `--time` also sgemm-N or triad.
enum PeerMode {
    case list
    case dump(name: String, directory: URL)
    case time(name: String, seconds: Double, pu: Int)

    /// The mode `arguments` ask for, or nil for block-bench's own report.
    init?(arguments: [String]) throws {
        func value(_ flag: String) -> String? {
            arguments.first { $0.hasPrefix(flag + "=") }.map { String($0.dropFirst(flag.count + 1)) }
        }
        if arguments.contains("--peer-blocks") {
            self = .list
        } else if let name = value("--dump") {
            guard let out = value("--out") else { throw HwnasError("--dump needs --out=DIR") }
            self = .dump(name: name, directory: URL(fileURLWithPath: out))
        } else if let name = value("--time") {
            guard let seconds = Double(value("--seconds") ?? "0.3"), seconds > 0 else { throw HwnasError("--seconds must be a positive number") }
            guard let pu = Int(value("--pu") ?? "0"), pu >= 0 else { throw HwnasError("--pu must be a PU index") }
            self = .time(name: name, seconds: seconds, pu: pu)
        } else {
            return nil
        }
    }

    func run() throws {
        switch self {
        case .list:
            let blocks = PeerBlocks.selected.map { name, block in
                PeerBlockList.Entry(name: name, key: block.key, kind: block.kind, macs: block.macs,
                                    flops: block.flops(batch: 1), bytes: block.bytes(batch: 1))
            }
            print(String(decoding: try JSONFormat.encode(PeerBlockList(build: try BuildInfo.current(), blocks: blocks)), as: UTF8.self))
        case .dump(let name, let directory):
            guard let block = PeerBlocks.block(named: name) else { throw HwnasError("no block named \(name)") }
            let dump = try BlockDump.write(block, seed: 1, to: directory)
            FileHandle.standardError.write(Data("block-bench: wrote \(dump.spec.key) to \(directory.path)\n".utf8))
        case .time(let name, let seconds, let pu):
            let topology = try Topology.current()
            let result = try BlockTimer.time(name, seconds: seconds, pu: pu, topology: topology)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        }
    }
}
