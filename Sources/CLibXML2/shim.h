// Debian's libxml2 (apt: libxml2-dev): the XML and HTML parsers and XPath 1.0.
#include <libxml/parser.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/xmlerror.h>
