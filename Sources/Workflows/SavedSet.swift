import Foundation
import Search
import Support

/// What `--results-dir` holds for a device, seen by a comparison that would use it.
public enum SavedSet {
    case missing
    case reusable(ParetoSet)
    /// Broken, mixed, or searched with other settings: why, naming the file.
    case unusable(String)

    /// The saved set of `device` in `folder`, judged against the search the comparison would run.
    public static func of(device: String, search: DeviceSearch, folder: URL, space: String) throws -> SavedSet {
        let set: ParetoSet
        do {
            guard let saved = try ParetoSet.readSaved(folder: folder, device: device, space: space) else { return .missing }
            set = saved
        } catch let error as HwnasError {
            return .unusable(error.message)
        }
        if let difference = search.differenceFrom(saved: set) {
            let path = ParetoSet.url(folder: folder, device: device, extension: "json").relativePath
            return .unusable("\(path) was searched with other settings than this comparison's (\(difference))")
        }
        return .reusable(set)
    }
}
