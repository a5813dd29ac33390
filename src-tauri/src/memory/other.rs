//! Elsewhere WebKit is not used the same way (WebView2, WKWebView): nothing to do.

pub fn end_network_helper() {}

pub fn trim_heap() {}
