#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import VigilYAML

/// Loads environment files.
public enum EnvironmentLoader {
    static let keys = [
        "name", "server", "profile", "tokenLifetime", "release", "variables", "auth", "tls", "secrets", "normalize", "proxy", "compressed", "defaults",
        "openapi", "secretOrigins",
    ]
    static let authKeys = Array(Set(AuthType.all.flatMap(\.keys))).sorted()
    static let authTypes = AuthType.all.map(\.name)
    static let tlsKeys = ["insecure", "ca", "cert", "key"]

    /// Decodes an environment from YAML text. `processEnvironment` supplies `{{$env.NAME}}` values.
    public static func load(_ text: String, file: String, processEnvironment: [String: String]) throws(LoadError) -> Environment {
        var bytes = Array(text.utf8)
        return try load(bytes: &bytes, file: file, processEnvironment: processEnvironment)
    }

    /// Decodes an environment from the bytes of a file.
    public static func load(bytes: inout [UInt8], file: String, processEnvironment: [String: String]) throws(LoadError) -> Environment {
        let root = try CollectionLoader.loadRoot(&bytes, file: file, empty: "the environment file is empty")
        let log = DiagnosticLog(file: file)
        var d = NodeDecoder(log: log)
        d.allowsProcessEnvironment = true
        let env = decode(root, d, processEnvironment: processEnvironment)
        if log.hasErrors || env == nil { throw LoadError(log.diagnostics) }
        return env!
    }

    static func decode(_ root: YAMLNode, _ d: NodeDecoder, processEnvironment: [String: String]) -> Environment? {
        guard let k = d.mapping(root, "an environment", allowed: keys) else { return nil }
        d.checkNumbers(root)
        let name = k["name"].flatMap { d.string($0.value, "name") } ?? PathName(path: d.file).lastComponentWithoutExtension
        var env = Environment(file: d.file, name: name)
        if let n = k["server"]?.value, let s = d.string(n, "server") {
            if s == "embedded" {
                var lifetime: Duration?
                if let t = k["tokenLifetime"]?.value { lifetime = d.duration(t, "tokenLifetime") }
                let profile = k["profile"].flatMap { d.scalarText($0.value, "profile") }
                env.profileMark = k["profile"]?.value.mark
                env.server = .embedded(profile: profile, tokenLifetime: lifetime)
            } else if s != "external" {
                d.log.error("server must be 'embedded' (the built-in emulator) or left out (requests go to {{baseUrl}})", at: n.mark)
            } else {
                for key in ["profile", "tokenLifetime"] where k[key] != nil {
                    d.log.error("'\(key)' applies to the embedded emulator; add 'server: embedded'", at: k[key]!.key.mark)
                }
            }
        } else {
            for key in ["profile", "tokenLifetime"] where k[key] != nil {
                d.log.error("'\(key)' applies to the embedded emulator; add 'server: embedded'", at: k[key]!.key.mark)
            }
        }
        if let n = k["release"]?.value, let text = d.scalarText(n, "release") {
            if let r = Release(name: text) ?? Release(version: text) {
                env.release = r
            } else {
                d.log.error("release must name an XProtect release such as 2024 R2 (or a version such as 24.2.0.1), found '\(text)'", at: n.mark)
            }
        }
        if let n = k["variables"]?.value { env.variables = CollectionLoader.variables(n, d) }
        env.proxyMark = k["proxy"]?.value.mark
        if let n = k["proxy"]?.value, let proxy = d.template(n, "proxy") { env.proxy = Self.proxy(proxy, n, d, variables: env.variables.map(\.name)) }
        if let n = k["compressed"]?.value { env.compressed = d.bool(n, "compressed") ?? false }
        if let n = k["defaults"]?.value { env.defaults = CollectionLoader.defaults(n, d) }
        if let n = k["normalize"]?.value { env.normalize = CollectionLoader.normalizationRules(n, d) }
        if let n = k["openapi"]?.value { env.openAPI = openAPI(n, d) }
        if let n = k["auth"]?.value, let pairs = n.mapping {
            for pair in pairs {
                guard let profileName = d.scalarText(pair.key, "an auth profile name") else { continue }
                if let p = authProfile(pair.value, d, profileName) { env.auth[profileName] = p }
            }
        } else if let n = k["auth"]?.value {
            d.log.error("auth must be a mapping of profile name to settings", at: n.mark)
        }
        if let n = k["tls"]?.value, let t = d.mapping(n, "tls", allowed: tlsKeys) {
            if let v = t["insecure"]?.value { env.tls.insecure = d.bool(v, "insecure") ?? false }
            // Paths are relative to the environment file, whatever the current directory.
            func path(_ key: String) -> String? {
                guard let pair = t[key], let text = d.string(pair.value, key) else { return nil }
                let folder = PathText.folder(of: d.file)
                let full = text.hasPrefix("/") || folder.isEmpty ? text : PathText.join(folder, text)
                if !FileManager.default.isReadableFile(atPath: full) {
                    d.log.error("tls.\(key): cannot read '\(text)' (\(full)); paths are relative to the environment file", at: pair.value.mark)
                } else if let problem = pemProblem(full, key: key) {
                    d.log.error("tls.\(key): '\(text)' \(problem)", at: pair.value.mark)
                }
                return full
            }
            env.tls.caFile = path("ca")
            env.tls.certificateFile = path("cert")
            env.tls.keyFile = path("key")
        }
        if let n = k["secrets"]?.value {
            env.secretVariables = d.list(n).compactMap { d.string($0, "a secret variable name") }
        }
        if let n = k["secretOrigins"]?.value {
            for item in d.list(n) {
                guard let text = d.string(item, "an origin") else { continue }
                let lower = text.lowercased()
                let rest = lower.hasPrefix("https://") ? lower.dropFirst(8) : lower.hasPrefix("http://") ? lower.dropFirst(7) : nil
                if let rest, !text.contains("{{"), Self.isAuthority(rest.prefix { $0 != "/" }) {
                    env.secretOrigins.append(text)
                } else {
                    d.log.error(
                        "secretOrigins: '\(text)' is not an origin; write http://host[:port] or https://host[:port] (one host: no wildcard or user)",
                        at: item.mark)
                }
            }
        }
        // Read exactly the process variables the file names, once.
        var names = Set<String>()
        let trees = env.variables.map(\.value) + (env.auth.values.flatMap(\.templates) + [env.proxy].compactMap { $0 }).map(TemplateTree.template)
        for tree in trees {
            for case .env(let name) in tree.placeholders { names.insert(name) }
        }
        for name in names { env.processEnvironment[name] = processEnvironment[name] }
        env.processEnvironmentNames = names.sorted()
        return env
    }

    /// Whether `text` is `host[:port]` and nothing else: a host name (letters, digits, `-`, `.`,
    /// `_`), an IPv4 address or a bracketed IPv6 one, and a port from 1 to 65535. No wildcard.
    static func isAuthority(_ text: Substring) -> Bool {
        var host = text
        var port: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return false }
            host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return false }
                port = after.dropFirst()
            }
            guard !host.isEmpty, host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return false }
        } else {
            if let colon = text.lastIndex(of: ":") {
                host = text[..<colon]
                port = text[text.index(after: colon)...]
            }
            let allowed = { (c: Character) in c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == "." || c == "_") }
            guard !host.isEmpty, host.allSatisfy(allowed), !host.hasPrefix("."), !host.hasPrefix("-"), !host.contains("..") else { return false }
        }
        if let port {
            guard !port.isEmpty, port.count <= 5, port.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(port), (1...65535).contains(n) else {
                return false
            }
        }
        return true
    }

    /// `openapi: FILE|URL` or `openapi: { spec: FILE|URL, mode: fail|report }`. A file is
    /// relative to the environment file and must be readable now; a URL may use variables
    /// (`{{baseUrl}}/api/rest/v1/openapi.json`) and is fetched when the run starts.
    static func openAPI(_ node: YAMLNode, _ d: NodeDecoder) -> OpenAPISetting? {
        var specNode = node
        var report = false
        if node.mapping != nil {
            guard let k = d.mapping(node, "openapi", allowed: ["spec", "mode"]) else { return nil }
            guard let n = k["spec"]?.value else {
                d.log.error("openapi needs 'spec': a file or URL of the OpenAPI description", at: node.mark)
                return nil
            }
            specNode = n
            if let m = k["mode"]?.value, let mode = d.string(m, "mode") {
                guard ["fail", "report"].contains(mode) else {
                    d.log.error("openapi mode must be 'fail' (violations fail their request) or 'report' (listed only), found '\(mode)'", at: m.mark)
                    return nil
                }
                report = mode == "report"
            }
        }
        guard let spec = d.template(specNode, "openapi") else { return nil }
        var setting = OpenAPISetting(spec: spec, report: report, mark: specNode.mark)
        let text = spec.source
        if spec.isLiteral, !text.lowercased().hasPrefix("http://"), !text.lowercased().hasPrefix("https://") {
            let folder = PathText.folder(of: d.file)
            let full = text.hasPrefix("/") || folder.isEmpty ? text : PathText.join(folder, text)
            if !FileManager.default.isReadableFile(atPath: full) {
                d.log.error("openapi: cannot read '\(text)' (\(full)); paths are relative to the environment file", at: specNode.mark)
            }
            setting.file = full
        }
        return setting
    }

    static func authProfile(_ node: YAMLNode, _ d: NodeDecoder, _ name: String) -> AuthProfile? {
        guard let k = d.mapping(node, "auth profile '\(name)'", allowed: authKeys) else { return nil }
        guard let typeNode = k["type"]?.value, let type = d.string(typeNode, "type") else {
            if k["type"] == nil { d.log.error("auth profile '\(name)' needs a type: \(authTypes.joined(separator: ", "))", at: node.mark) }
            return nil
        }
        guard let authType = AuthType.all.first(where: { $0.name == type }) else {
            d.log.error(
                "unknown auth type '\(type)'\(Suggestion.hint(for: type, among: authTypes)); types are \(authTypes.joined(separator: ", "))", at: typeNode.mark)
            return nil
        }
        var profile = AuthProfile(type: authType)
        var complete = true
        for (key, pair) in k.entries where !authType.keys.contains(key) {
            d.log.error("auth profile '\(name)' of type \(type) has no '\(key)'; its keys are \(authType.keys.joined(separator: ", "))", at: pair.key.mark)
            complete = false
        }
        for key in authType.required {
            guard let n = k[key]?.value else {
                d.log.error("auth profile '\(name)' of type \(type) needs '\(key)'", at: node.mark)
                complete = false
                continue
            }
            if let t = d.template(n, key) { profile.settings[key] = t } else { complete = false }
        }
        for key in authType.optional {
            if let n = k[key]?.value {
                if let t = d.template(n, key) { profile.settings[key] = t } else { complete = false }
            } else if let text = authType.defaults[key] {
                profile.settings[key] = try! Template.parse(text)
            }
        }
        if authType.fetchesTokens, let n = k["renewBefore"]?.value {
            if let margin = d.duration(n, "renewBefore") { profile.renewMargin = margin } else { complete = false }
        }
        return complete ? profile : nil
    }

    /// `proxy:`, checked: its placeholders name variables of the environment (or `$env`), and
    /// it is a proxy URL with each placeholder standing for a word. Its password is never shown.
    static func proxy(_ t: Template, _ n: YAMLNode, _ d: NodeDecoder, variables: [String]) -> Template? {
        var ok = true
        for case (.variable(let name), let offset) in t.placeholders where !variables.contains(ReferenceCheck.rootName(name)) {
            let mark = n.scalar.map { d.position(of: offset, in: $0, at: n.mark) } ?? n.mark
            d.log.error("proxy: '{{\(name)}}' is not a variable of this environment (the proxy is resolved from its variables and {{$env.NAME}})", at: mark)
            ok = false
        }
        let shape = t.parts.map { if case .literal(let s) = $0 { s } else { "x" } }.joined()
        if let problem = proxyProblem(shape) {
            d.log.error("proxy '\(proxyWithoutPassword(t.source))': \(problem)", at: n.mark)
            ok = false
        }
        return ok ? t : nil
    }

    /// A proxy URL as it may be shown: the password of `user:password@` as `••••`.
    public static func proxyWithoutPassword(_ text: String) -> String {
        guard let at = text.lastIndex(of: "@") else { return text }
        let start = text.firstRange(of: "://")?.upperBound ?? text.startIndex
        guard start < at, let colon = text[start..<at].firstIndex(of: ":") else { return text }
        return String(text[...colon]) + Redactor.mask + String(text[at...])
    }

    /// What is wrong with a proxy URL (`http://[user:password@]host[:port]`), or nil.
    static func proxyProblem(_ text: String) -> String? {
        var rest = Substring(text)
        if let r = rest.firstRange(of: "://") {
            guard rest[..<r.lowerBound].lowercased() == "http" else { return "only http:// proxies are supported (write http://host:port)" }
            rest = rest[r.upperBound...]
        }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        if rest.contains("/") || rest.contains("?") { return "a proxy URL has no path (write http://host:port)" }
        var host = rest, port: Substring = ""
        if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
            host = rest[...close]
            port = rest[rest.index(after: close)...].drop { $0 == ":" }
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            port = rest[rest.index(after: colon)...]
        }
        if host.isEmpty { return "no host (write http://host:port)" }
        if !port.isEmpty, Int(port).map({ (1...65535).contains($0) }) != true { return "bad port '\(port)'" }
        return nil
    }
}

/// Why a `tls.ca`, `tls.cert` or `tls.key` file cannot be what it should be (a folder, a device,
/// no PEM block of the right kind), or nil: said when the environment is read, at the key's
/// place, rather than when the first request opens a connection.
func pemProblem(_ path: String, key: String) -> String? {
    let (exists, isFolder) = PathText.kind(of: path)
    guard exists, !isFolder else { return "is a folder, not a PEM file" }
    // Enough for a chain of certificates; a PEM file is text.
    guard let bytes = FileBytes.contents(atPath: path, limit: 1 << 20), !bytes.isEmpty else { return "is empty, not a PEM file" }
    let text = String(decoding: bytes, as: UTF8.self)
    let wanted = key == "key" ? "PRIVATE KEY-----" : "-----BEGIN CERTIFICATE-----"
    guard text.contains(wanted) else {
        return key == "key"
            ? "holds no PEM private key (-----BEGIN … PRIVATE KEY-----)"
            : "holds no PEM certificate (-----BEGIN CERTIFICATE-----)"
    }
    return nil
}
