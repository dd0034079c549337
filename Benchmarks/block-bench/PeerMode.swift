import Foundation
import Hardware
import Support
import SuperNet

/// The modes of block-bench that serve a comparison with another runtime, run by
/// `scripts/ort_bench.py` and `scripts/ort_block_check.py`:
///   --peer-blocks                       the build and the compared blocks, as JSON
///   --dump=NAME --out=DIR               a block's weights, input and output (`BlockDump`)
///   --dump=KEY --space=S [--seq=N] [--resolutions=R,...] [--batch=B] --out=DIR
///                                       the same for any block of a space at its input size
///   --time=NAME [--seconds=S] [--pu=P]  one workload timed on one PU (`BlockTimer`), one JSON line
/// NAME is a short name from `--peer-blocks`, a block key, or for `--time` also sgemm-N or triad.
/// Dumps use seed 1, the seed a profile builds its blocks with (`ProfileWorkItem(block:...)`).
enum PeerMode {
    case list
    case dump(name: String, directory: URL, space: SpaceChoice?, batch: Int)
    case time(name: String, seconds: Double, pu: Int)

    /// A space and the input size its blocks are taken at.
    struct SpaceChoice {
        var name: String
        var sequence: Int?
        var resolutions: [Int]?
    }

    /// The mode `arguments` ask for, or nil for block-bench's own report.
    init?(arguments: [String]) throws {
        func value(_ flag: String) -> String? {
            arguments.first { $0.hasPrefix(flag + "=") }.map { String($0.dropFirst(flag.count + 1)) }
        }
        if arguments.contains("--peer-blocks") {
            self = .list
        } else if let name = value("--dump") {
            guard let out = value("--out") else { throw HwnasError("--dump needs --out=DIR") }
            func positive(_ flag: String) throws -> Int? {
                guard let text = value(flag) else { return nil }
                guard let number = Int(text), number > 0 else { throw HwnasError("\(flag) must be a positive integer, not '\(text)'") }
                return number
            }
            let resolutions = try value("--resolutions").map { text in
                try text.split(separator: ",").map { part in
                    guard let r = Int(part), r > 0 else { throw HwnasError("--resolutions must be positive integers, not '\(text)'") }
                    return r
                }
            }
            let space = try value("--space").map { SpaceChoice(name: $0, sequence: try positive("--seq"), resolutions: resolutions) }
            if space == nil, value("--seq") != nil || resolutions != nil {
                throw HwnasError("--seq and --resolutions need --space=S")
            }
            self = .dump(name: name, directory: URL(fileURLWithPath: out), space: space, batch: try positive("--batch") ?? 1)
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
        case .dump(let name, let directory, let choice, let batch):
            let block: Block
            if let choice {
                block = try Self.block(key: name, in: choice)
            } else {
                guard let named = PeerBlocks.block(named: name) else { throw HwnasError("no block named \(name)") }
                block = named
            }
            let dump = try BlockDump.write(block, seed: 1, batch: batch, to: directory)
            FileHandle.standardError.write(Data("block-bench: wrote \(dump.spec.key) to \(directory.path)\n".utf8))
        case .time(let name, let seconds, let pu):
            let topology = try Topology.current()
            let result = try BlockTimer.time(name, seconds: seconds, pu: pu, topology: topology)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        }
    }

    /// The block of `choice`'s space whose key is `key`, at the chosen input size (the space's
    /// default where none is chosen); the error lists the keys there are.
    static func block(key: String, in choice: SpaceChoice) throws -> Block {
        let space = try SearchSpaces.named(choice.name)
        var settings = space.defaultSettings
        if let sequence = choice.sequence { settings.sequence = sequence }
        if let resolutions = choice.resolutions { settings.resolutions = resolutions }
        try space.validate(settings)
        let blocks = space.distinctBlocks(settings: settings)
        guard let block = blocks.first(where: { $0.key == key }) else {
            throw HwnasError("space \(space.name) has no block \(key) at these settings; its blocks: \(blocks.map(\.key).joined(separator: ", "))")
        }
        return block
    }
}
