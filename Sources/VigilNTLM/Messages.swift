/// NTLM authentication ([MS-NLMP]) as values: the three messages, NTLMv2 responses, MD4.
/// Nothing here does I/O; the runner and the emulator carry the messages over HTTP.
public enum NTLM {
    static let signature: [UInt8] = Array("NTLMSSP".utf8) + [0]

    /// Negotiation flags (MS-NLMP 2.2.2.5).
    public struct Flags: OptionSet, Sendable, Hashable {
        public var rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        public static let unicode = Flags(rawValue: 0x0000_0001)
        public static let oem = Flags(rawValue: 0x0000_0002)
        public static let requestTarget = Flags(rawValue: 0x0000_0004)
        public static let sign = Flags(rawValue: 0x0000_0010)
        public static let seal = Flags(rawValue: 0x0000_0020)
        public static let ntlm = Flags(rawValue: 0x0000_0200)
        public static let anonymous = Flags(rawValue: 0x0000_0800)
        public static let alwaysSign = Flags(rawValue: 0x0000_8000)
        public static let targetTypeDomain = Flags(rawValue: 0x0001_0000)
        public static let targetTypeServer = Flags(rawValue: 0x0002_0000)
        public static let extendedSessionSecurity = Flags(rawValue: 0x0008_0000)
        public static let targetInfo = Flags(rawValue: 0x0080_0000)
        public static let version = Flags(rawValue: 0x0200_0000)
        public static let bits128 = Flags(rawValue: 0x2000_0000)
        public static let keyExchange = Flags(rawValue: 0x4000_0000)
        public static let bits56 = Flags(rawValue: 0x8000_0000)

        /// What Vigil asks for: Unicode, NTLM with extended session security, the target, and a version.
        public static let client: Flags = [
            .unicode, .oem, .requestTarget, .ntlm, .alwaysSign, .extendedSessionSecurity, .version, .bits128, .bits56,
        ]
    }

    /// A message that is not NTLM, or is cut short.
    public struct MessageError: Error, Sendable, Hashable, CustomStringConvertible {
        public var message: String
        public init(_ message: String) { self.message = message }
        public var description: String { message }
    }

    /// The 8-byte VERSION structure (MS-NLMP 2.2.2.10): Windows 10.0.19041, NTLM revision 15.
    static let version: [UInt8] = [10, 0, 0x61, 0x4A, 0, 0, 0, 0x0F]
}

// MARK: - NEGOTIATE_MESSAGE

extension NTLM {
    /// The first message, client to server (MS-NLMP 2.2.1.1).
    public struct Negotiate: Sendable, Hashable {
        public var flags: Flags

        public init(flags: Flags = .client) { self.flags = flags }

        /// The wire form: no domain or workstation (they are not supplied), a version.
        public var bytes: [UInt8] {
            var w = Writer(type: 1, headerSize: 40)
            w.header.put32(flags.rawValue)
            w.header.putField(length: 0, offset: 40)  // DomainNameFields
            w.header.putField(length: 0, offset: 40)  // WorkstationFields
            w.header += NTLM.version
            return w.finish()
        }

        public init(decoding bytes: [UInt8]) throws(MessageError) {
            let r = try Reader(bytes, type: 1, minimum: 16)
            flags = Flags(rawValue: r.u32(12))
        }
    }
}

// MARK: - CHALLENGE_MESSAGE

extension NTLM {
    /// The second message, server to client (MS-NLMP 2.2.1.2).
    public struct Challenge: Sendable, Hashable {
        public var flags: Flags
        public var serverChallenge: [UInt8]
        public var targetName: String
        public var targetInfo: TargetInfo

        public init(flags: Flags, serverChallenge: [UInt8], targetName: String, targetInfo: TargetInfo) {
            self.flags = flags
            self.serverChallenge = serverChallenge
            self.targetName = targetName
            self.targetInfo = targetInfo
        }

        public init(decoding bytes: [UInt8]) throws(MessageError) {
            let r = try Reader(bytes, type: 2, minimum: 48)
            flags = Flags(rawValue: r.u32(20))
            serverChallenge = Array(bytes[24..<32])
            let name = try r.field(12)
            targetName = flags.contains(.unicode) ? NTLM.string(utf16le: name) : String(decoding: name, as: UTF8.self)
            targetInfo = try TargetInfo(decoding: try r.field(40))
        }

        public var bytes: [UInt8] {
            let name = NTLM.utf16le(targetName), info = targetInfo.bytes
            var w = Writer(type: 2, headerSize: 56)
            w.putPayloadField(at: 12, name)
            w.header.put32(flags.rawValue)
            w.header += serverChallenge
            w.header += [UInt8](repeating: 0, count: 8)
            w.putPayloadField(at: 40, info)
            w.header += NTLM.version
            return w.finish()
        }
    }

    /// The AV_PAIR list of a CHALLENGE (and of an NTLMv2 response), MS-NLMP 2.2.2.1.
    public struct TargetInfo: Sendable, Hashable {
        public enum ID: UInt16, Sendable {
            case eol = 0, nbComputerName, nbDomainName, dnsComputerName, dnsDomainName, dnsTreeName, flags, timestamp, singleHost,
                targetName, channelBindings
        }

        /// The pairs in order, without the terminating MsvAvEOL.
        public var pairs: [(id: UInt16, value: [UInt8])]

        public init(_ pairs: [(id: UInt16, value: [UInt8])] = []) { self.pairs = pairs }

        public init(decoding bytes: [UInt8]) throws(MessageError) {
            pairs = []
            var i = 0
            while i + 4 <= bytes.count {
                let id = UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8
                let length = Int(UInt16(bytes[i + 2]) | UInt16(bytes[i + 3]) << 8)
                i += 4
                if id == ID.eol.rawValue { return }
                guard i + length <= bytes.count else { throw MessageError("NTLM target info is cut short") }
                pairs.append((id, Array(bytes[i..<i + length])))
                i += length
            }
            if !bytes.isEmpty { throw MessageError("NTLM target info lacks its end marker") }
        }

        public subscript(id: ID) -> [UInt8]? { pairs.first { $0.id == id.rawValue }?.value }

        /// A string pair (UTF-16LE).
        public func string(_ id: ID) -> String? { self[id].map(NTLM.string(utf16le:)) }

        /// Sets (or adds) a pair.
        public mutating func set(_ id: ID, _ value: [UInt8]) {
            if let i = pairs.firstIndex(where: { $0.id == id.rawValue }) { pairs[i].value = value } else { pairs.append((id.rawValue, value)) }
        }

        /// MsvAvTimestamp as a FILETIME (100 ns since 1601), when present.
        public var timestamp: UInt64? {
            guard let v = self[.timestamp], v.count == 8 else { return nil }
            return v.reversed().reduce(0) { $0 << 8 | UInt64($1) }
        }

        /// MsvAvFlags, 0 when absent.
        public var avFlags: UInt32 {
            guard let v = self[.flags], v.count == 4 else { return 0 }
            return UInt32(v[0]) | UInt32(v[1]) << 8 | UInt32(v[2]) << 16 | UInt32(v[3]) << 24
        }

        public var bytes: [UInt8] {
            var out = [UInt8]()
            for (id, value) in pairs {
                out.put16(id)
                out.put16(UInt16(value.count))
                out += value
            }
            out += [0, 0, 0, 0]
            return out
        }

        public static func == (a: TargetInfo, b: TargetInfo) -> Bool { a.bytes == b.bytes }
        public func hash(into hasher: inout Hasher) { hasher.combine(bytes) }
    }
}

// MARK: - AUTHENTICATE_MESSAGE

extension NTLM {
    /// The third message, client to server (MS-NLMP 2.2.1.3). Always written with a VERSION
    /// and a MIC field (zero when no MIC is sent).
    public struct Authenticate: Sendable, Hashable {
        public var flags: Flags
        public var lmResponse: [UInt8]
        public var ntResponse: [UInt8]
        public var domain: String
        public var user: String
        public var workstation: String
        public var encryptedSessionKey: [UInt8] = []
        public var mic = [UInt8](repeating: 0, count: 16)

        public init(flags: Flags, lmResponse: [UInt8], ntResponse: [UInt8], domain: String, user: String, workstation: String) {
            self.flags = flags
            self.lmResponse = lmResponse
            self.ntResponse = ntResponse
            self.domain = domain
            self.user = user
            self.workstation = workstation
        }

        /// Where the MIC sits in ``bytes``.
        public static let micRange = 72..<88

        public var bytes: [UInt8] {
            var w = Writer(type: 3, headerSize: 88)
            let text: (String) -> [UInt8] = { flags.contains(.unicode) ? NTLM.utf16le($0) : Array($0.utf8) }
            w.putPayloadField(at: 12, lmResponse)
            w.putPayloadField(at: 20, ntResponse)
            w.putPayloadField(at: 28, text(domain))
            w.putPayloadField(at: 36, text(user))
            w.putPayloadField(at: 44, text(workstation))
            w.putPayloadField(at: 52, encryptedSessionKey)
            w.header.put32(flags.rawValue)
            w.header += NTLM.version
            w.header += mic
            return w.finish()
        }

        public init(decoding bytes: [UInt8]) throws(MessageError) {
            let r = try Reader(bytes, type: 3, minimum: 64)
            let unicode = Flags(rawValue: r.u32(60)).contains(.unicode)
            flags = Flags(rawValue: r.u32(60))
            let text: ([UInt8]) -> String = { unicode ? NTLM.string(utf16le: $0) : String(decoding: $0, as: UTF8.self) }
            lmResponse = try r.field(12)
            ntResponse = try r.field(20)
            domain = text(try r.field(28))
            user = text(try r.field(36))
            workstation = text(try r.field(44))
            encryptedSessionKey = try r.field(52)
            // The MIC is there when the payload starts after it.
            let payloadStart = [12, 20, 28, 36, 44, 52].compactMap { r.fieldOffset($0) }.min() ?? bytes.count
            mic = payloadStart >= 88 && bytes.count >= 88 ? Array(bytes[Self.micRange]) : [UInt8](repeating: 0, count: 16)
        }
    }
}

// MARK: - Bytes

extension NTLM {
    static func utf16le(_ s: String) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(s.utf16.count * 2)
        for unit in s.utf16 { out.put16(unit) }
        return out
    }

    static func string(utf16le bytes: [UInt8]) -> String {
        var units = [UInt16]()
        var i = 0
        while i + 1 < bytes.count {
            units.append(UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8)
            i += 2
        }
        return String(decoding: units, as: UTF16.self)
    }

    /// Builds a message: a fixed header, then the payload its fields point into.
    struct Writer {
        var header: [UInt8]
        var payload: [UInt8] = []
        let headerSize: Int
        private var pendingFields: [(at: Int, bytes: [UInt8])] = []

        init(type: UInt32, headerSize: Int) {
            self.headerSize = headerSize
            header = NTLM.signature
            header.put32(type)
        }

        /// Reserves the 8-byte field at `at` (which must be the header's current end) for `bytes`.
        mutating func putPayloadField(at: Int, _ bytes: [UInt8]) {
            precondition(header.count == at, "NTLM header field out of order")
            header += [UInt8](repeating: 0, count: 8)
            pendingFields.append((at, bytes))
        }

        mutating func finish() -> [UInt8] {
            precondition(header.count == headerSize, "NTLM header size")
            var offset = headerSize
            for (at, bytes) in pendingFields {
                var field = [UInt8]()
                field.putField(length: bytes.count, offset: offset)
                header.replaceSubrange(at..<at + 8, with: field)
                payload += bytes
                offset += bytes.count
            }
            return header + payload
        }
    }

    /// Reads a message's fixed fields and the payload fields they point to, checking bounds.
    struct Reader {
        let bytes: [UInt8]

        init(_ bytes: [UInt8], type: UInt32, minimum: Int) throws(MessageError) {
            guard bytes.count >= 12, Array(bytes[0..<8]) == NTLM.signature else { throw MessageError("not an NTLM message") }
            self.bytes = bytes
            let found = u32(8)
            guard found == type else { throw MessageError("expected NTLM message type \(type), found \(found)") }
            guard bytes.count >= minimum else { throw MessageError("NTLM message type \(type) is cut short (\(bytes.count) bytes)") }
        }

        func u16(_ i: Int) -> UInt16 { UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8 }
        func u32(_ i: Int) -> UInt32 { UInt32(u16(i)) | UInt32(u16(i + 2)) << 16 }

        /// The offset of a non-empty field, when the header holds it.
        func fieldOffset(_ at: Int) -> Int? {
            guard at + 8 <= bytes.count, u16(at) > 0 else { return nil }
            return Int(u32(at + 4))
        }

        func field(_ at: Int) throws(MessageError) -> [UInt8] {
            guard at + 8 <= bytes.count else { throw MessageError("NTLM message is cut short") }
            let length = Int(u16(at)), offset = Int(u32(at + 4))
            if length == 0 { return [] }
            guard offset + length <= bytes.count else { throw MessageError("an NTLM message field points past its end") }
            return Array(bytes[offset..<offset + length])
        }
    }
}

extension [UInt8] {
    mutating func put16(_ v: UInt16) {
        append(UInt8(truncatingIfNeeded: v))
        append(UInt8(truncatingIfNeeded: v >> 8))
    }

    mutating func put32(_ v: UInt32) {
        put16(UInt16(truncatingIfNeeded: v))
        put16(UInt16(truncatingIfNeeded: v >> 16))
    }

    /// A length / max length / offset field.
    mutating func putField(length: Int, offset: Int) {
        put16(UInt16(length))
        put16(UInt16(length))
        put32(UInt32(offset))
    }
}
