/// What a gene means to code outside its space. A space says which of its genes plays a role
/// (`SearchSpace.geneRoles`), so that cost tables, searches and reports find the input
/// resolution through the role and never by the gene's name.
public enum GeneRole: String, CaseIterable, Sendable {
    /// The input resolution in pixels, one slot (OFA's `r`): cost tables are profiled at some
    /// resolutions and interpolate between them.
    case resolution
}
