import Foundation
import Hardware
import Support
import Testing

/// hwloc XML export and re-import, and describing a machine from its XML.
@Suite struct TopologyXMLTests {
    private func makeFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hwnas-xml-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func exportAndReimportGiveTheSameTopology() throws {
        let folder = try makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let topology = try Topology.current()
        #expect(topology.isThisMachine)
        #expect(topology.xmlSource == nil)
        let url = folder.appendingPathComponent("sub/this.topology.xml")
        try topology.exportXML(to: url)
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.hasPrefix("<?xml"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path) == ["this.topology.xml"])

        let loaded = try Topology.load(xml: url)
        #expect(!loaded.isThisMachine)
        #expect(loaded.xmlSource == url)
        #expect(loaded.summary == topology.summary)
        #expect(loaded.caches == topology.caches)
        #expect(loaded.puIndices == topology.puIndices)
        #expect(loaded.corePus == topology.corePus)
        #expect(loaded.packageInfo("CPUVendor") == topology.packageInfo("CPUVendor"))
        #expect(loaded.packageInfo("CPUModelNumber") == topology.packageInfo("CPUModelNumber"))
        #expect(loaded.rootInfo("OSName") == topology.rootInfo("OSName"))
        // A second export of the loaded topology is still a loadable, equal topology.
        let again = folder.appendingPathComponent("again.xml")
        try loaded.exportXML(to: again)
        #expect(try Topology.load(xml: again).summary == topology.summary)
    }

    @Test func topologyIsConsistent() throws {
        let topology = try Topology.current()
        let summary = topology.summary
        #expect(summary.pus == topology.puIndices.count)
        #expect(Set(topology.puIndices) == Set(summary.corePus.flatMap { $0 }))
        #expect(summary.cores == summary.corePus.count)
        #expect(summary.numa.count == summary.numaNodes)
        #expect(Set(summary.numa.flatMap(\.pus)) == Set(topology.puIndices))
        #expect(summary.numaMemoryBytes == summary.numa.reduce(0) { $0 + $1.memoryBytes })
        #expect(topology.caches.allSatisfy { $0.sizeBytes > 0 && $0.lineBytes > 0 && $0.sharedByPus >= 1 })
        #expect(topology.caches.allSatisfy { ["data", "instruction", "unified"].contains($0.kind) })
    }

    @Test func describeFromXMLMatchesThisMachine() throws {
        let folder = try makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let topology = try Topology.current()
        let url = folder.appendingPathComponent("machine.topology.xml")
        try topology.exportXML(to: url)

        let (descriptor, loaded) = try MachineDescriber().describe(xml: url)
        #expect(!loaded.isThisMachine)
        #expect(descriptor.calibration == nil)
        #expect(descriptor.papi == nil)
        #expect(descriptor.blas == nil)
        #expect(descriptor.memoryBytes == nil)
        #expect(descriptor.cpu.isa.isEmpty)
        #expect(descriptor.source.hasPrefix("xml:"))
        #expect(descriptor.source == "xml:\(url.path)")
        #expect(descriptor.topology == topology.summary)
        #expect(descriptor.caches == topology.caches)

        #if arch(x86_64)
        // hwloc records the CPU identity on x86 and keeps it in the export.
        try #require(topology.packageInfo("CPUVendor") != nil)
        try #require(topology.packageInfo("CPUFamilyNumber") != nil)
        try #require(topology.packageInfo("CPUModelNumber") != nil)
        #endif
        if topology.packageInfo("CPUVendor") != nil, topology.packageInfo("CPUFamilyNumber") != nil,
           topology.packageInfo("CPUModelNumber") != nil {
            let cpu = try CPUDescription.current()
            #expect(descriptor.id == MachineID.derive(from: cpu))
            #expect(descriptor.cpu.vendor == cpu.vendor)
            #expect(descriptor.cpu.family == cpu.family)
            #expect(descriptor.cpu.model == cpu.model)
            #expect(descriptor.cpu.vendorString == cpu.vendorString)
        }
    }

    @Test func missingFileNamesThePath() throws {
        let url = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/machine.xml")
        let error = try #require(throws: HwnasError.self) { _ = try Topology.load(xml: url) }
        #expect(error.message.contains(url.path), "message: \(error.message)")
        let described = try #require(throws: HwnasError.self) { _ = try MachineDescriber().describe(xml: url) }
        #expect(described.message.contains(url.path), "message: \(described.message)")
    }

    @Test(arguments: [
        "this is not xml at all\n",
        "<?xml version=\"1.0\"?>\n<notatopology><object/></notatopology>\n",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE topology SYSTEM \"hwloc2.dtd\">\n<topology version=\"2.0\">\n  <object type=\"Machine\"",
        "",
    ])
    func unusableFilesThrowNamingThePath(content: String) throws {
        let folder = try makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("bad.xml")
        try Data(content.utf8).write(to: url)
        let error = try #require(throws: HwnasError.self) { _ = try Topology.load(xml: url) }
        #expect(error.message.contains(url.path), "message: \(error.message)")
        let described = try #require(throws: HwnasError.self) { _ = try MachineDescriber().describe(xml: url) }
        #expect(described.message.contains(url.path), "message: \(described.message)")
    }

    @Test func aFolderIsNotATopology() throws {
        let folder = try makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let error = try #require(throws: HwnasError.self) { _ = try Topology.load(xml: folder) }
        #expect(error.message.contains(folder.path), "message: \(error.message)")
    }

    @Test func exportIntoAPathUnderARegularFileThrows() throws {
        let folder = try makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("file.txt")
        try Data("x".utf8).write(to: file)
        let target = file.appendingPathComponent("hw/m.topology.xml")
        let error = try #require(throws: HwnasError.self) { try Topology.current().exportXML(to: target) }
        #expect(error.message.contains(file.path), "message: \(error.message)")
    }
}
