import CostModel
import Foundation
import Hardware
import Runtime
import Support

/// The machines and devices found in a hardware folder and a profiles folder: what
/// `hwnas devices` lists and where `compare` and `search` find a device's table.
///
/// A device is a sub-folder of the profiles folder named by its id; copying another machine's
/// folder in is all it takes to compare with it.
public struct DeviceCatalog: Encodable, Sendable {
    /// A machine descriptor file.
    public struct Machine: Codable, Sendable {
        public var id: String
        public var file: String
        public var modelName: String
        public var cores: Int
        public var pus: Int
        public var blasCore: String?
        public var sgemmGflops1Thread: Double?
        public var source: String
    }

    /// A space with a cost table (and/or a profile) on a device.
    public struct SpaceEntry: Codable, Sendable {
        public var space: String
        public var table: String?
        public var profile: String?
        /// Calibrated MAPE of the table's validation, percent; nil when it was not validated.
        public var validatedMape: Double?
        public var validatedN: Int?
        public var threads: Int?
        public var gemm: String?
        /// The machine's BLAS kernels; nil for a table of another runtime than hwnas's (the BLAS
        /// did not run it).
        public var blasCore: String?
        /// The runtime that ran the blocks, with its version (`onnxruntime 1.32.0`); nil for
        /// hwnas's own kernels.
        public var runtime: String?
        /// The kernel variants of the table's entries (`CostTable.kernelVariantLabel`): `unknown`
        /// for tables made before they were recorded, unless they can be inferred.
        public var kernels: String?
        /// Why the table file there cannot be used (truncated, another schema...), when it cannot.
        public var tableProblem: String?
    }

    public struct Device: Codable, Sendable {
        public var id: String
        public var machine: String
        /// Whether the machine's descriptor is in the hardware folder.
        public var machineDescribed: Bool
        public var spaces: [SpaceEntry]
    }

    public var machines: [Machine]
    public var devices: [Device]
    /// Files that could not be read, with the reason (listed, never silently skipped).
    public var problems: [String]

    public init(hardwareDir: URL, profilesDir: URL) {
        let manager = FileManager.default
        var problems: [String] = []
        var machines: [Machine] = []
        let descriptorFiles = ((try? manager.contentsOfDirectory(atPath: hardwareDir.path)) ?? [])
            .filter { $0.hasSuffix(".json") }.sorted()
        for name in descriptorFiles {
            let url = hardwareDir.appendingPathComponent(name)
            do {
                let d = try MachineDescriptor.read(from: url)
                machines.append(Machine(id: d.id, file: url.relativePath, modelName: d.cpu.modelName, cores: d.topology.cores,
                                        pus: d.topology.pus, blasCore: d.blas?.coreName,
                                        sgemmGflops1Thread: d.calibration?.sgemmGflops1Thread, source: d.source))
            } catch let error as HwnasError {
                problems.append(error.message)
            } catch {
                problems.append("\(url.path): \(error)")
            }
        }
        var devices: [Device] = []
        let folders = ((try? manager.contentsOfDirectory(atPath: profilesDir.path)) ?? []).sorted()
        for folder in folders {
            var isDirectory: ObjCBool = false
            let url = profilesDir.appendingPathComponent(folder)
            guard manager.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue,
                  let id = try? DeviceID(parsing: folder) else { continue }
            let files = ((try? manager.contentsOfDirectory(atPath: url.path)) ?? []).sorted()
            var spaces: [String: SpaceEntry] = [:]
            for file in files where file.hasSuffix(".lut.json") {
                let space = String(file.dropLast(".lut.json".count))
                let path = url.appendingPathComponent(file)
                do {
                    // Changed profiles are reported by the commands that use the table, not by the listing.
                    let table = try CostTable.read(from: path, warn: { _ in })
                    let runtime = table.settings.runtime.flatMap { $0.name == RuntimeDescription.nativeName ? nil : $0 }
                    spaces[space] = SpaceEntry(space: table.space, table: path.relativePath, profile: nil,
                                               validatedMape: table.validation?.calibrated.mape, validatedN: table.validation?.n,
                                               threads: table.settings.threads, gemm: table.settings.gemm?.rawValue,
                                               blasCore: runtime == nil ? table.machine.blas?.coreName : nil,
                                               runtime: runtime.map { "\($0.name) \($0.version)" },
                                               kernels: table.kernelVariantLabel)
                } catch {
                    let message = (error as? HwnasError)?.message ?? "\(path.path): \(error)"
                    problems.append(message)
                    spaces[space, default: SpaceEntry(space: space)].tableProblem = message
                }
            }
            for file in files where file.hasSuffix(".profile.json") {
                let space = String(file.dropLast(".profile.json".count))
                let path = url.appendingPathComponent(file).relativePath
                spaces[space, default: SpaceEntry(space: space)].profile = path
            }
            devices.append(Device(id: folder, machine: id.machine, machineDescribed: machines.contains { $0.id == id.machine },
                                  spaces: spaces.values.sorted { $0.space < $1.space }))
        }
        self.machines = machines
        self.devices = devices
        self.problems = problems
    }

    /// The table of a space on a device; the error says what the device has instead.
    public func tablePath(device: String, space: String) throws -> String {
        guard let entry = devices.first(where: { $0.id == device }) else {
            let known = devices.map(\.id)
            throw HwnasError("no device '\(device)' in the profiles folder" + (known.isEmpty ? " (it holds no device)" : "; devices: \(known.joined(separator: ", "))"))
        }
        if let problem = entry.spaces.first(where: { $0.space == space })?.tableProblem {
            throw HwnasError("the cost table of '\(space)' on device '\(device)' cannot be used: \(problem)")
        }
        guard let table = entry.spaces.first(where: { $0.space == space })?.table else {
            let others = entry.spaces.filter { $0.table != nil }.map(\.space)
            let hasProfile = entry.spaces.contains { $0.space == space && $0.profile != nil }
            var message = "device '\(device)' has no cost table of '\(space)'"
            message += others.isEmpty ? "" : " (it has tables of \(others.joined(separator: ", ")))"
            message += hasProfile ? "; build it with `hwnas tables --profile <profile>`" : "; profile it with `hwnas profile --space \(space)` on that device"
            throw HwnasError(message)
        }
        return table
    }
}

extension DeviceCatalog.SpaceEntry {
    init(space: String) {
        self.init(space: space, table: nil, profile: nil, validatedMape: nil, validatedN: nil, threads: nil, gemm: nil, blasCore: nil, runtime: nil,
                  kernels: nil, tableProblem: nil)
    }
}
