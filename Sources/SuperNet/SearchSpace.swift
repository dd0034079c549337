import Support

/// An elastic super-network: its genes, and how a sub-network decodes into blocks.
///
/// A space is data plus a little code; everything downstream (profiler, cost tables, search)
/// works through this protocol, so adding a space touches none of them.
public protocol SearchSpace: Sendable {
    /// The name on the command line and in files, e.g. `ofa-mbv3-w1.0`.
    var name: String { get }
    /// One line on what the space is.
    var summary: String { get }
    /// The genes, in DyNAS-T's dictionary order.
    var genes: [Gene] { get }
    /// Keys of DyNAS-T's dictionary that carry no gene and must be None (OFA's `wid`).
    var nullKeys: [String] { get }
    /// The genes that play a role (`GeneRole`), by name: the one place a role meets a name.
    var geneRoles: [GeneRole: String] { get }
    /// The accuracy column of this space's DyNAS-T results CSVs.
    var metricColumn: String { get }
    /// Input sizes measured when none are given.
    var defaultSettings: SpaceSettings { get }
    /// Checks the settings (sequence length, resolutions) fit the space.
    func validate(_ settings: SpaceSettings) throws
    /// The active blocks of a sub-network, in execution order, for its input size.
    func blocks(of subnet: Subnet, settings: SpaceSettings) -> [Block]
    /// Every distinct block configuration at the given input sizes: the cost-table entries.
    func distinctBlocks(settings: SpaceSettings) -> [Block]
    /// Which slots of the genome (genes in order, as `genome(of:)` lays them out) shape the
    /// network. OFA's block slots beyond a stage's depth and BERT's layers beyond `num_layers`
    /// do not: two sub-networks that differ only there are the same network.
    func activeSlots(of subnet: Subnet) -> [Bool]
}

extension SearchSpace {
    public var nullKeys: [String] { [] }

    public var geneRoles: [GeneRole: String] { [:] }

    /// The gene that plays `role`, if the space has one.
    public func gene(for role: GeneRole) -> Gene? {
        geneRoles[role].flatMap(gene(named:))
    }

    /// The input-resolution gene (OFA's `r`); nil in spaces of a fixed input size.
    public var resolutionGene: Gene? { gene(for: .resolution) }

    /// Every slot shapes the network unless the space says otherwise.
    public func activeSlots(of subnet: Subnet) -> [Bool] {
        Array(repeating: true, count: genomeLength)
    }

    /// The genome with every inactive slot set to -1: equal exactly when two sub-networks are the
    /// same network, whatever their inactive slots hold.
    public func canonicalGenome(of subnet: Subnet) -> [Int] {
        zip(genome(of: subnet), activeSlots(of: subnet)).map { $1 ? $0 : -1 }
    }

    /// The active blocks at the default input size.
    public func blocks(of subnet: Subnet) -> [Block] {
        blocks(of: subnet, settings: defaultSettings)
    }

    public func gene(named name: String) -> Gene? {
        genes.first { $0.name == name }
    }

    /// Multiply-accumulates of a sub-network per sample (conventions: `BlockConfiguration`).
    public func macs(of subnet: Subnet, settings: SpaceSettings? = nil) -> Int {
        blocks(of: subnet, settings: settings ?? defaultSettings).reduce(0) { $0 + $1.macs }
    }

    /// Parameters of a sub-network (conventions: `BlockConfiguration`).
    public func params(of subnet: Subnet) -> Int {
        blocks(of: subnet).reduce(0) { $0 + $1.params }
    }

    /// How many sub-networks the genes encode (counting inactive slots, as the genome does).
    public var genomeCount: Double {
        genes.reduce(1.0) { $0 * pow(Double($1.choices.count), Double($1.length)) }
    }

    /// The number of slots of all genes: the genome's length.
    public var genomeLength: Int { genes.reduce(0) { $0 + $1.length } }

    /// The genome of a sub-network: one choice index per slot, genes in order.
    public func genome(of subnet: Subnet) -> [Int] {
        genes.flatMap { gene in
            subnet[gene.name].map { value in gene.choices.firstIndex(of: value) ?? 0 }
        }
    }

    /// The sub-network of a genome; throws for a wrong length or an index out of range.
    public func subnet(genome: [Int]) throws -> Subnet {
        guard genome.count == genomeLength else {
            throw HwnasError("a \(name) genome has \(genomeLength) genes, not \(genome.count)")
        }
        var values: [String: [Int]] = [:]
        var offset = 0
        for gene in genes {
            values[gene.name] = try (0..<gene.length).map { slot in
                let index = genome[offset + slot]
                guard gene.choices.indices.contains(index) else {
                    throw HwnasError("gene '\(gene.name)'[\(slot)]: choice index \(index) is outside 0..<\(gene.choices.count)")
                }
                return gene.choices[index]
            }
            offset += gene.length
        }
        return Subnet(values: values)
    }

    /// A uniformly random sub-network (every slot drawn independently).
    public func sample<G: RandomNumberGenerator>(using generator: inout G) -> Subnet {
        var values: [String: [Int]] = [:]
        for gene in genes {
            values[gene.name] = (0..<gene.length).map { _ in gene.choices.randomElement(using: &generator)! }
        }
        return Subnet(values: values)
    }

    /// Reads a sub-network written as a DyNAS-T dict or a JSON object. Errors name the field.
    public func subnet(parsing text: String) throws -> Subnet {
        let literal: LiteralValue
        do {
            literal = try LiteralValue.parse(text)
        } catch let error as HwnasError {
            throw HwnasError("not a sub-network dictionary: \(error.message)")
        }
        return try subnet(from: literal)
    }

    /// Checks a sub-network read without its space (e.g. from JSON): every gene present, of its
    /// length, with values from its choices. Errors name the field.
    public func validated(_ subnet: Subnet) throws -> Subnet {
        let pairs = subnet.values.keys.sorted().map { key in
            (key, LiteralValue.list(subnet[key].map { LiteralValue.integer($0) }))
        }
        return try self.subnet(from: .dictionary(pairs))
    }

    /// Reads a sub-network from a parsed literal. Nothing is clamped: every problem is an error.
    public func subnet(from literal: LiteralValue) throws -> Subnet {
        guard case .dictionary(let pairs) = literal else {
            throw HwnasError("a \(name) sub-network is a dictionary like \(example), not \(literal.brief)")
        }
        let known = Set(genes.flatMap { [$0.name] + $0.aliases })
        for (key, value) in pairs where !known.contains(key) {
            if nullKeys.contains(key) {
                guard value == .null else {
                    throw HwnasError("field '\(key)': must be None in \(name), found \(value.brief)")
                }
                continue
            }
            throw HwnasError("unknown field '\(key)' (a \(name) sub-network has \(genes.map { "'\($0.name)'" }.joined(separator: ", ")))")
        }
        var values: [String: [Int]] = [:]
        for gene in genes {
            let given = pairs.filter { gene.isNamed($0.0) }
            guard let (key, value) = given.first else {
                throw HwnasError("missing field '\(gene.name)'" + gene.aliases.map { " (or '\($0)')" }.joined())
            }
            if given.count > 1 {
                throw HwnasError("fields \(given.map { "'\($0.0)'" }.joined(separator: " and ")) both give gene '\(gene.name)'; keep one")
            }
            let items: [LiteralValue]
            switch value {
            case .list(let list): items = list
            case .integer where gene.length == 1: items = [value]
            default:
                throw HwnasError("field '\(key)': expected a list of \(gene.length) integers, found \(value.brief)")
            }
            guard items.count == gene.length else {
                throw HwnasError("field '\(key)': expected \(gene.length) value\(gene.length == 1 ? "" : "s"), found \(items.count)")
            }
            values[gene.name] = try items.enumerated().map { slot, item in
                guard case .integer(let v) = item else {
                    throw HwnasError("field '\(key)'[\(slot)]: expected an integer, found \(item.brief)")
                }
                guard gene.choices.contains(v) else {
                    throw HwnasError("field '\(key)'[\(slot)]: \(v) is not one of \(Self.describeChoices(gene.choices)) (\(gene.summary))")
                }
                return v
            }
        }
        return Subnet(values: values)
    }

    /// The DyNAS-T form: a Python dict repr, every gene a list.
    public func dynastString(_ subnet: Subnet) -> String {
        let parts = nullKeys.map { "'\($0)': None" }
            + genes.map { "'\($0.name)': [\(subnet[$0.name].map(String.init).joined(separator: ", "))]" }
        return "{" + parts.joined(separator: ", ") + "}"
    }

    /// The JSON form of DESIGN.md: values, single-slot genes as numbers.
    public func jsonString(_ subnet: Subnet) -> String {
        let parts = genes.map { gene in
            let values = subnet[gene.name]
            let value = gene.length == 1 ? "\(values.first ?? 0)" : "[" + values.map(String.init).joined(separator: ",") + "]"
            return "\"\(gene.name)\":\(value)"
        }
        return "{" + parts.joined(separator: ",") + "}"
    }

    /// An example sub-network dictionary (the largest), for help and error texts.
    public var example: String {
        var values: [String: [Int]] = [:]
        for gene in genes { values[gene.name] = Array(repeating: gene.choices.last!, count: gene.length) }
        return dynastString(Subnet(values: values))
    }

    static func describeChoices(_ choices: [Int]) -> String {
        if choices.count > 6 {
            let step = choices[1] - choices[0]
            if zip(choices, choices.dropFirst()).allSatisfy({ $1 - $0 == step }) {
                return "\(choices.first!)..\(choices.last!) in steps of \(step)"
            }
        }
        return choices.map(String.init).joined(separator: ", ")
    }
}

import Foundation
