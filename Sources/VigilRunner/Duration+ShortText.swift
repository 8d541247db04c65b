extension Duration {
    /// `250ms`, `1.5s`.
    public var shortText: String {
        let ms = Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
        if ms < 1000 { return "\(Int(ms.rounded()))ms" }
        let s = ms / 1000
        return s == s.rounded() ? "\(Int(s))s" : "\((s * 10).rounded() / 10)s"
    }

    /// Milliseconds as a double.
    public var milliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}
