import CostModel
import Foundation
import Reports
import Search
import Support
import SuperNet
import Training

/// The sampler of an InstaTune run, built from its settings: uniform over the space's genes,
/// or steered by a device's cost table (found in the catalogue), with what `run.json` records
/// of it.
public struct InstaTuneSampler {
    public var sampler: any SubnetSampler
    public var record: InstaTuneRecord.Sampler

    /// Throws when latency sampling names a device without a minilm-l6 table, or a band no
    /// sub-network meets (naming the device's range).
    public init(settings: InstaTuneSettings, seed: UInt64, space: MiniLML6Space = MiniLML6Space(), catalog: DeviceCatalog?) throws {
        try settings.validate()
        switch settings.sampling {
        case .uniform:
            let sampler = try UniformSubnetSampler(
                layers: space.genes[0].choices, heads: space.genes[1].choices, intermediate: space.genes[2].choices, seed: seed)
            self.sampler = sampler
            record = InstaTuneRecord.Sampler(kind: sampler.kind, fingerprint: sampler.fingerprint, seed: seed)
        case .latency:
            let device = settings.device!
            guard let catalog else { throw HwnasError("--sampling latency needs the profiles folder of \(device)") }
            let tablePath = try catalog.tablePath(device: device, space: space.name)
            let table = try CostTable.read(from: URL(fileURLWithPath: tablePath))
            // Steering by a table of unknown error is allowed, and said, as searches say it.
            if let warning = table.unvalidatedWarning { CostTable.printWarning(warning) }
            let latency = try LatencyObjective(table: table, space: space, tablePath: tablePath)
            let band = settings.bandMs.map { $0[0]...$0[1] }
            let sampler = try LatencySteeredSampler(
                space: space, latency: latency, device: device, band: band, seed: seed, poolSize: settings.poolSize,
                bucketCount: settings.buckets) { space.subnetShape(of: $0) }
            self.sampler = sampler
            record = InstaTuneRecord.Sampler(
                kind: sampler.kind, fingerprint: sampler.fingerprint, seed: seed, table: tablePath,
                tableSha256: SHA256.hex(ofFile: URL(fileURLWithPath: tablePath)),
                rangeMs: [sampler.range.lowerBound, sampler.range.upperBound], bandMs: [sampler.band.lowerBound, sampler.band.upperBound],
                poolMembers: sampler.members.count, buckets: sampler.bucketCount)
        }
    }
}
