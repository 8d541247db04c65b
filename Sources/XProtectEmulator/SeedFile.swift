#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import VigilJSON

/// The initial objects of an emulator: the built-in seed, optionally extended by a JSON seed file
/// (format in `docs/emulator.md`).
struct Seed: Sendable {
    var events: [(id: String, name: String)] = []
    var cameras: [CameraSeed] = SeedData.cameras
    var users: [String: String] = [:]
    var windowsUsers: [String: String] = [:]
    var serviceClient: ServiceClient?

    static func load(path: String?) throws -> Seed {
        var seed = Seed()
        guard let path else { return seed }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EmulatorError.invalidSeed("cannot read \(path)")
        }
        let root: JSONValue
        do { root = try JSONValue(parsing: data) } catch { throw EmulatorError.invalidSeed("\(path): \(error)") }
        guard case .object(let members) = root else { throw EmulatorError.invalidSeed("\(path): top level must be an object") }
        let known: Set = ["users", "windowsusers", "serviceclient", "userdefinedevents", "cameras", "replacedefaultcameras"]
        if let unknown = members.first(where: { !known.contains($0.key.lowercased()) }) {
            throw EmulatorError.invalidSeed("\(path): unknown key '\(unknown.key)'")
        }
        if let users = root.member("users") {
            guard case .object(let pairs) = users else { throw EmulatorError.invalidSeed("users must be an object") }
            for pair in pairs {
                guard let password = pair.value.stringValue else { throw EmulatorError.invalidSeed("users.\(pair.key) must be a string") }
                seed.users[pair.key] = password
            }
        }
        if let users = root.member("windowsUsers") {
            guard case .object(let pairs) = users else { throw EmulatorError.invalidSeed("windowsUsers must be an object") }
            for pair in pairs {
                guard pair.key.contains("\\") else { throw EmulatorError.invalidSeed("windowsUsers.\(pair.key) must be DOMAIN\\user") }
                guard let password = pair.value.stringValue else { throw EmulatorError.invalidSeed("windowsUsers.\(pair.key) must be a string") }
                seed.windowsUsers[pair.key] = password
            }
        }
        if let client = root.member("serviceClient") {
            guard let id = client.member("clientId")?.stringValue, let secret = client.member("clientSecret")?.stringValue else {
                throw EmulatorError.invalidSeed("serviceClient needs clientId and clientSecret (strings)")
            }
            seed.serviceClient = ServiceClient(id: id, secret: secret)
        }
        if root.member("replaceDefaultCameras")?.lenientBoolValue == true { seed.cameras = [] }
        for (i, event) in try array(root, "userDefinedEvents").enumerated() {
            let name = try string(event, "name", "userDefinedEvents[\(i)]")
            let id = try event.member("id").map { try guid($0, "userDefinedEvents[\(i)].id") } ?? stableID("event", i)
            seed.events.append((id, name))
        }
        for (i, camera) in try array(root, "cameras").enumerated() {
            let at = "cameras[\(i)]"
            let id = try camera.member("id").map { try guid($0, "\(at).id") } ?? stableID("camera", i)
            if seed.cameras.contains(where: { $0.id == id }) { throw EmulatorError.invalidSeed("\(at): duplicate id \(id)") }
            let hardware = try camera.member("hardwareId").map { try guid($0, "\(at).hardwareId") } ?? stableID("hardware", i)
            var cam = CameraSeed(
                id: id, hardwareID: hardware, name: try string(camera, "name", at),
                ptz: try bool(camera, "ptz", at) ?? false, enabled: try bool(camera, "enabled", at) ?? true,
                failTasks: try bool(camera, "failTasks", at) ?? false)
            cam.presets = try presets(camera.member("presets"), at: "\(at).presets", prefix: "preset\(i)")
            cam.devicePresets = try presets(camera.member("devicePresets"), at: "\(at).devicePresets", prefix: "device\(i)")
            for (n, _) in cam.devicePresets.enumerated() where cam.devicePresets[n].devicePresetID == nil {
                cam.devicePresets[n].devicePresetID = String(n + 1)
            }
            seed.cameras.append(cam)
        }
        return seed
    }

    private static func array(_ root: JSONValue, _ key: String) throws -> [JSONValue] {
        guard let value = root.member(key) else { return [] }
        guard case .array(let items) = value else { throw EmulatorError.invalidSeed("\(key) must be an array") }
        return items
    }

    private static func string(_ object: JSONValue, _ key: String, _ at: String) throws -> String {
        guard let s = object.member(key)?.stringValue, !s.isEmpty else {
            throw EmulatorError.invalidSeed("\(at).\(key) must be a non-empty string")
        }
        return s
    }

    private static func bool(_ object: JSONValue, _ key: String, _ at: String) throws -> Bool? {
        guard let value = object.member(key) else { return nil }
        guard let b = value.lenientBoolValue else { throw EmulatorError.invalidSeed("\(at).\(key) must be a boolean") }
        return b
    }

    private static func guid(_ value: JSONValue, _ at: String) throws -> String {
        guard let s = value.stringValue, UUID(uuidString: s) != nil else {
            throw EmulatorError.invalidSeed("\(at) must be a GUID")
        }
        return s.lowercased()
    }

    /// A fixed id for seed objects given without one.
    private static func stableID(_ kind: String, _ index: Int) -> String {
        var generator = SplitMix64(seed: UInt64(index) &* 7919 &+ UInt64(kind.utf8.reduce(0) { $0 &* 31 &+ Int($1) }))
        return UUIDGenerator.uuid(from: &generator)
    }

    private static func presets(_ value: JSONValue?, at: String, prefix: String) throws -> [PresetSeed] {
        guard let value else { return [] }
        guard case .array(let items) = value else { throw EmulatorError.invalidSeed("\(at) must be an array") }
        return try items.enumerated().map { n, item in
            let id = try item.member("id").map { try guid($0, "\(at)[\(n)].id") } ?? stableID(prefix, n)
            return PresetSeed(
                id: id, name: try string(item, "name", "\(at)[\(n)]"),
                pan: item.member("pan")?.doubleValue ?? 0, tilt: item.member("tilt")?.doubleValue ?? 0,
                zoom: item.member("zoom")?.doubleValue ?? 0, isDefault: try bool(item, "default", "\(at)[\(n)]") ?? false,
                devicePresetID: item.member("devicePresetInternalId")?.stringValue)
        }
    }
}
