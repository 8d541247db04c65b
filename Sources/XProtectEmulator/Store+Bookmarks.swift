import VigilJSON

/// Bookmarks REST (2024 R2+): bookmarks on cameras, in creation order, searched through
/// `POST /bookmarks?task=SearchTime`.
extension Store {
    static let bookmarkTextFields = ["header", "description", "reference"]
    static let bookmarkTimeFields = ["timeBegin", "timeTrigged", "timeEnd"]

    /// `POST /bookmarks` `{"device":…, "header", "description"?, "reference"?, "timeBegin"?, "timeTrigged"?, "timeEnd"?}`.
    func createBookmark(_ body: JSONValue?) throws(StoreError) -> JSONObject {
        guard let body, case .object = body else { throw .badRequest("Bad Request - the request body must be a JSONValue object") }
        let reference: String? =
            switch body.member("device") {
            case .string(let s)?: s.string
            case .object?: body.member("device")?.member("id")?.stringValue
            default: nil
            }
        guard let reference, !reference.isEmpty else { throw .badRequest("Bad Request - device is required", property: "device") }
        guard let camera = camera(Self.cameraID(fromReference: reference)) else {
            throw .badRequest("Bad Request - device must be the id of a camera", property: "device")
        }
        let now = Timestamp.now()
        let id = newID()
        var bookmark: JSONObject = [
            "displayName": .string(""), "id": .string(id), "header": .string(""), "description": .string(""), "reference": .string(""),
            "timeBegin": .string(now), "timeTrigged": .string(now), "timeEnd": .string(now),
            "device": Envelope.path("cameras", camera.id), "lastModified": .string(now),
            "relations": .object(["parent": Envelope.path("cameras", camera.id), "self": Envelope.path("bookmarks", id)]),
        ]
        try Self.applyBookmarkFields(body, to: &bookmark, requireHeader: true)
        bookmarks.append(bookmark)
        return bookmark
    }

    func bookmark(_ id: String) -> JSONObject? {
        let id = id.lowercased()
        return bookmarks.first { $0["id"]?.stringValue == id }
    }

    /// PUT (`replace`: `header` required) and PATCH; `device` and read-only properties are ignored.
    func updateBookmark(_ id: String, _ body: JSONValue?, replace: Bool) throws(StoreError) -> JSONObject {
        let id = id.lowercased()
        guard let index = bookmarks.firstIndex(where: { $0["id"]?.stringValue == id }) else { throw .notFound }
        guard let body, case .object = body else { throw .badRequest("Bad Request - the request body must be a JSONValue object") }
        var bookmark = bookmarks[index]
        try Self.applyBookmarkFields(body, to: &bookmark, requireHeader: replace)
        bookmark["lastModified"] = .string(Timestamp.now())
        bookmarks[index] = bookmark
        return bookmark
    }

    func deleteBookmark(_ id: String) throws(StoreError) -> JSONObject {
        let id = id.lowercased()
        guard let index = bookmarks.firstIndex(where: { $0["id"]?.stringValue == id }) else { throw .notFound }
        return bookmarks.remove(at: index)
    }

    /// `SearchTime`: bookmarks whose `timeTrigged` lies in [timeBegin, timeEnd], optionally on the
    /// cameras `deviceIds` names, oldest first, at most `count` (default all).
    func searchBookmarks(_ body: JSONValue?) throws(StoreError) -> [JSONObject] {
        guard let rawBegin = body?.member("timeBegin"), let rawEnd = body?.member("timeEnd") else {
            throw .missingParameters(["timeBegin", "timeEnd"])
        }
        let begin = try Self.timestamp(rawBegin, property: "timeBegin")
        let end = try Self.timestamp(rawEnd, property: "timeEnd")
        var devices: Set<String>?
        if let raw = body?.member("deviceIds"), raw != .null {
            guard case .array(let items) = raw, items.allSatisfy({ $0.stringValue != nil }) else {
                throw .badRequest("Bad Request - deviceIds must be an array of camera ids", property: "deviceIds")
            }
            devices = Set(items.compactMap { $0.stringValue.map(Self.cameraID(fromReference:)) })
        }
        var count = Int.max
        if let raw = body?.member("count"), raw != .null {
            guard let value = raw.integerValue, value >= 0 else {
                throw .badRequest("Bad Request - count must be a non-negative integer", property: "count")
            }
            count = value
        }
        let found = bookmarks.filter { bookmark in
            let trigged = bookmark["timeTrigged"]?.stringValue ?? ""
            let device = bookmark["device"]?["id"]?.stringValue ?? ""
            return trigged >= begin && trigged <= end && (devices?.contains(device) ?? true)
        }
        return Array(found.sorted { ($0["timeTrigged"]?.stringValue ?? "") < ($1["timeTrigged"]?.stringValue ?? "") }.prefix(count))
    }

    private static func applyBookmarkFields(_ body: JSONValue, to bookmark: inout JSONObject, requireHeader: Bool) throws(StoreError) {
        if requireHeader, body.member("header") == nil { throw .badRequest("Bad Request - header is required", property: "header") }
        for key in bookmarkTextFields {
            guard let raw = body.member(key) else { continue }
            guard let text = raw.stringValue else { throw .badRequest("Bad Request - \(key) must be a string", property: key) }
            if key == "header" {
                guard !text.trimmingSpaces.isEmpty else { throw .badRequest("Bad Request - header cannot be empty", property: key) }
                bookmark["displayName"] = .string(text)
            }
            bookmark[key] = .string(text)
        }
        for key in bookmarkTimeFields {
            guard let raw = body.member(key) else { continue }
            bookmark[key] = .string(try timestamp(raw, property: key))
        }
        let begin = bookmark["timeBegin"]?.stringValue ?? "", trigged = bookmark["timeTrigged"]?.stringValue ?? ""
        let end = bookmark["timeEnd"]?.stringValue ?? ""
        guard begin <= trigged, trigged <= end else {
            throw .badRequest("Bad Request - timeBegin <= timeTrigged <= timeEnd does not hold", property: "timeTrigged")
        }
    }

    /// An ISO-8601 date-time with an offset or `Z`, normalized to the server's UTC form (seven fractional digits),
    /// so stored times compare as strings.
    static func timestamp(_ raw: JSONValue, property: String) throws(StoreError) -> String {
        let invalid = StoreError.badRequest("Bad Request - \(property) must be an ISO-8601 date-time", property: property)
        guard let text = raw.stringValue, let ticks = Timestamp.parse(text) else { throw invalid }
        return Timestamp.format(ticks: ticks)
    }
}
