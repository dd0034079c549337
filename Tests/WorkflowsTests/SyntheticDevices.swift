import CostModel
import Foundation
import Reports
import Support

/// A temporary results and profiles folder with small bert-base cost tables: the shipped table
/// of amd-zen3-t1 and devices derived from it whose attention blocks cost more and feed-forward
/// blocks less, so that the devices rank sub-networks differently.
struct SyntheticDevices {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let space = "bert-base"

    let folder: URL
    var profiles: URL { folder.appendingPathComponent("profiles") }
    var results: URL { folder.appendingPathComponent("results").appendingPathComponent(Self.space) }
    var catalog: DeviceCatalog { DeviceCatalog(hardwareDir: folder.appendingPathComponent("hardware"), profilesDir: profiles) }

    /// `devices[0]` is the shipped table; each next one has attention `k + 1` times as dear.
    init(devices: [String] = ["amd-zen3-t1", "amd-zen3-t2"]) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("hwnas-workflows-\(UUID().uuidString)")
        let shipped = try CostTable.read(from: Self.root.appendingPathComponent("profiles/amd-zen3-t1/\(Self.space).lut.json"))
        for (k, device) in devices.enumerated() {
            var table = shipped
            table.device = device
            for i in table.entries.indices {
                let scale = table.entries[i].key.hasPrefix("mha") ? Double(k + 1) : table.entries[i].key.hasPrefix("ffn") ? 1 / Double(k + 1) : 1
                table.entries[i].medianMs *= scale
                table.entries[i].meanMs *= scale
                table.entries[i].p90Ms *= scale
                table.entries[i].stdMs *= scale
            }
            let url = profiles.appendingPathComponent(device).appendingPathComponent("\(Self.space).lut.json")
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try AtomicFile.write(JSONFormat.encode(table), to: url)
        }
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}
