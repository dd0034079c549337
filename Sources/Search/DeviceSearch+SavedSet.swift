import Foundation

extension DeviceSearch {
    /// The first setting in which a saved set differs from what this search would run, said as
    /// "setting: the set's, this search's"; nil when the set can stand for this search.
    ///
    /// Compared: objectives and their senses, algorithm, population, generations, seed,
    /// constraints, a given reference point, and the predictor and cost table by their SHA-256.
    /// A set that does not record a setting (written by an older hwnas) differs in it.
    public func differenceFrom(saved set: ParetoSet) -> String? {
        let objectives = problem.objectives.map(\.spec)
        func list(_ items: [String]) -> String { items.isEmpty ? "none" : items.joined(separator: ",") }
        if set.objectives != objectives {
            func named(_ specs: [ObjectiveSpec]) -> [String] { specs.map { "\($0.kind.rawValue) (\($0.sense.rawValue))" } }
            let own = named(set.objectives), wanted = named(objectives)
            return "objectives: the set has \(own.joined(separator: ", ")), this run \(wanted.joined(separator: ", "))"
        }
        if set.settings.algorithm != algorithm.title {
            return "algorithm: the set's is \(set.settings.algorithm), this run's \(algorithm.title)"
        }
        if set.settings.population != settings.population {
            return "population: the set's is \(set.settings.population), this run's \(settings.population)"
        }
        if set.settings.generations != settings.generations {
            return "generations: the set's are \(set.settings.generations), this run's \(settings.generations)"
        }
        if set.settings.seed != settings.seed {
            return "seed: the set's is \(set.settings.seed), this run's \(settings.seed)"
        }
        let constraints = problem.constraints.map(\.description)
        if set.settings.constraints != constraints {
            return "constraints: the set's are \(list(set.settings.constraints)), this run's \(list(constraints))"
        }
        let savedReference = set.referenceSource == "given" ? set.reference : nil
        if savedReference != reference {
            func text(_ point: [Double]?) -> String { point.map { $0.map { "\($0)" }.joined(separator: ",") } ?? "not given" }
            return "reference point: the set's is \(text(savedReference)), this run's \(text(reference))"
        }
        switch (set.provenance.predictor, provenance.predictor) {
        case (nil, nil):
            break
        case (let saved?, nil):
            return "predictor: the set used \(saved), this run uses none"
        case (nil, let wanted?):
            return "predictor: the set used none, this run uses \(wanted)"
        case (let saved?, let wanted?):
            guard let savedHash = set.provenance.predictorSha256 else {
                return "predictor: unknown (the set does not record the sha256 of \(saved); it was written by an older hwnas)"
            }
            if savedHash != provenance.predictorSha256 {
                return "predictor: \(wanted) is not the predictor the set was searched with (\(saved); its sha256 differs)"
            }
        }
        if let table = provenance.table {
            guard let savedHash = set.provenance.tableSha256 else {
                return "cost table: unknown (the set does not record the sha256 of its table; it was written by an older hwnas)"
            }
            if savedHash != provenance.tableSha256 {
                return "cost table: \(table) is not the table the set was searched with (its sha256 differs: the table changed or is another)"
            }
        }
        return nil
    }
}
