/// An XProtect release whose API Gateway behaviour the emulator reproduces.
///
/// Every behavioural difference between releases is a property here, and every one is listed in
/// `docs/emulator.md`.
public struct ReleaseProfile: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Two-digit year, e.g. 24 for 2024.
    let year: Int
    /// Release of the year: 1, 2 or 3.
    let release: Int
    /// The version string the server reports (`ProductVersion`, `sites[0].version`).
    public let productVersion: String

    init(_ year: Int, _ release: Int, _ productVersion: String) {
        self.year = year
        self.release = release
        self.productVersion = productVersion
    }

    /// Every emulated release, oldest first.
    public static let all: [ReleaseProfile] = [
        ReleaseProfile(21, 2, "21.2.0.1"),
        ReleaseProfile(22, 1, "22.1.5804.1"),
        ReleaseProfile(22, 2, "22.2.0.1"),
        ReleaseProfile(22, 3, "22.3.0.1"),
        ReleaseProfile(23, 1, "23.1.0.1"),
        ReleaseProfile(23, 2, "23.2.0.1"),
        ReleaseProfile(23, 3, "23.3.0.1"),
        ReleaseProfile(24, 1, "24.1.0.1"),
        ReleaseProfile(24, 2, "24.2.0.1"),
        ReleaseProfile(25, 1, "25.1.1804.0"),
        ReleaseProfile(25, 2, "25.2.0.1"),
    ]

    /// The newest emulated release, 2025 R2.
    public static let latest: ReleaseProfile = all[all.count - 1]

    /// Parses "2024 R2", "2024r2", "2024R2", "24R2" or "2024-R2" (case and spacing do not matter).
    public init?(named: String) {
        let compact = named.lowercased().filter { !$0.isWhitespace && $0 != "-" && $0 != "_" }
        guard let r = compact.firstIndex(of: "r"),
            var year = Int(compact[..<r]), let release = Int(compact[compact.index(after: r)...])
        else { return nil }
        if year >= 2000 { year -= 2000 }
        guard let found = ReleaseProfile.all.first(where: { $0.year == year && $0.release == release }) else {
            return nil
        }
        self = found
    }

    /// The release name, e.g. "2024 R2".
    public var name: String { "20\(year) R\(release)" }
    public var description: String { name }

    public static func < (lhs: ReleaseProfile, rhs: ReleaseProfile) -> Bool {
        (lhs.year, lhs.release) < (rhs.year, rhs.release)
    }

    func atLeast(_ year: Int, _ release: Int) -> Bool { (self.year, self.release) >= (year, release) }

    // MARK: Behaviour switches (see docs/emulator.md, "Release profiles")

    /// `/api/.well-known/uris` exists from 2022 R1.
    var hasWellKnownURIs: Bool { atLeast(22, 1) }
    /// Before 2022 R2 booleans were the strings "True"/"False".
    var usesStringBooleans: Bool { !atLeast(22, 2) }
    /// DELETE answers `{"state":"Success"}` from 2025 R1; before, `{"data":{…deleted object…}}`.
    var deleteAnswersState: Bool { atLeast(25, 1) }
    /// Camera fields `ptzEnabled` and `failoverSetting` are absent from the 2022 R3 spec; present from 2023 R1.
    var hasCameraPtzAndFailoverFields: Bool { atLeast(23, 1) }
    /// The 2021 R2 pre-release gateway rejected `TaskCleanup`.
    var rejectsTaskCleanup: Bool { !atLeast(22, 1) }
    /// `POST /cameras/{id}/ptzPresets/{presetId}?task=Goto` from 2024 R2.
    var hasPtzPresetGoto: Bool { atLeast(24, 2) }
    /// `/securityNamespaces`, `/effectivePermissions`, `/registeredServices` from 2024 R2.
    var hasPermissionResources: Bool { atLeast(24, 2) }
    /// The Events REST (`/events`) and Alarms REST (`/alarms`, `/alarmStates`, `/alarmPriorities`) APIs from 2023 R2 (beta until 2024 R2).
    var hasEventsAndAlarms: Bool { atLeast(23, 2) }
    /// The Events and State WebSocket (`/api/ws/events/v1`) from 2023 R3.
    var hasEventsWebSocket: Bool { atLeast(23, 3) }
    /// Its `authenticate` command and `inactiveTimeoutSeconds` in the `startSession` answer from 2024 R1.
    var hasEventsWebSocketAuthentication: Bool { atLeast(24, 1) }
    /// Windows users (`windows_credentials` with NTLM on `/IDP/connect/token`) from 2023 R2, when the samples added them.
    var hasWindowsSignIn: Bool { atLeast(23, 2) }
    /// `VmsClient` gets a refresh token (and the `refresh_token` grant works) from 2025 R1.
    var hasRefreshTokens: Bool { atLeast(25, 1) }
    /// `/bookmarks` from 2024 R2.
    var hasBookmarks: Bool { atLeast(24, 2) }
    /// Camera tasks for absolute PTZ positions, JPEG snapshots and driver commands from 2024 R2.
    var hasExtendedCameraTasks: Bool { atLeast(24, 2) }
}
