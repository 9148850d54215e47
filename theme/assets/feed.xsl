<?xml version="1.0" encoding="UTF-8"?>
<!--
  feed.xsl turns a feed (RSS 2.0 or Atom 1.0) into a page when someone opens
  it in a browser: what a feed is, the address to copy into a reader, and
  the latest items. Feed readers ignore the stylesheet and read the feed.

  Every feed names this file in an <?xml-stylesheet?> instruction. Browsers
  only apply a stylesheet from the feed's own site, and this one loads
  nothing else: no fonts, no scripts, and its styles are inline because a
  feed in a listing's folder cannot know the path of the theme's style.css.
-->
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom"
  exclude-result-prefixes="atom">

<xsl:output method="html" encoding="UTF-8" indent="yes" doctype-system="about:legacy-compat"/>

<!-- One page for both formats: each value is the union of its RSS and Atom
     places, of which a feed has only one. -->
<xsl:variable name="title" select="/rss/channel/title | /atom:feed/atom:title"/>
<xsl:variable name="description" select="/rss/channel/description | /atom:feed/atom:subtitle"/>
<xsl:variable name="home" select="/rss/channel/link | /atom:feed/atom:link[@rel='alternate']/@href"/>
<xsl:variable name="self" select="/rss/channel/atom:link[@rel='self']/@href | /atom:feed/atom:link[@rel='self']/@href"/>
<xsl:variable name="format">
  <xsl:choose>
    <xsl:when test="/rss">RSS</xsl:when>
    <xsl:otherwise>Atom</xsl:otherwise>
  </xsl:choose>
</xsl:variable>

<xsl:template match="/">
<html lang="zh-CN">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<meta name="robots" content="noindex"/>
<title><xsl:value-of select="$title"/>（订阅源）</title>
<style>
:root { --red: #a81c1c; --ink: #1f1f1f; --ink-soft: #555; --link: #1a4d8f; --rule: #d9d9d9; --tint: #f6f4f1; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.7; font-size: 106.25%;
  font-family: -apple-system, BlinkMacSystemFont, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei",
    "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Segoe UI", Roboto, sans-serif; }
a { color: var(--link); }
.band { background: var(--red); color: #fff; }
.wrap { max-width: 48rem; margin: 0 auto; padding: 0 1rem; }
.band .wrap { padding-top: 1rem; padding-bottom: 1rem; }
.band h1 { margin: 0; font-size: 1.5rem; line-height: 1.4; }
.band p { margin: 0.25rem 0 0; opacity: 0.92; }
.about { background: var(--tint); border-left: 4px solid var(--red); padding: 0.75rem 1rem; margin: 1.25rem 0; }
.about h2 { font-size: 1.1rem; margin: 0 0 0.25rem; }
.about p { margin: 0.4rem 0; }
.address { display: block; padding: 0.4rem 0.6rem; margin: 0.4rem 0; background: #fff; border: 1px solid var(--rule);
  font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.95rem; word-break: break-all; user-select: all; }
h2.latest { font-size: 1.2rem; color: var(--red); border-bottom: 2px solid var(--red); padding-bottom: 0.2rem; }
ul.items { list-style: none; margin: 0; padding: 0; }
.item { padding: 0.8rem 0; border-bottom: 1px dashed var(--rule); }
.item h3 { font-size: 1.1rem; margin: 0 0 0.2rem; line-height: 1.5; }
.item h3 a { color: var(--ink); text-decoration: none; }
.item h3 a:hover { color: var(--red); text-decoration: underline; }
.meta { margin: 0; font-size: 0.875rem; color: var(--ink-soft); }
.meta span + span::before { content: "·"; padding: 0 0.5em; }
.summary { margin: 0.3rem 0 0; font-size: 0.95rem; color: #3a3a3a; }
footer { color: var(--ink-soft); font-size: 0.875rem; margin: 1.5rem auto 2rem; }
</style>
</head>
<body>
<header class="band">
<div class="wrap">
<h1><xsl:value-of select="$title"/></h1>
<xsl:if test="$description"><p><xsl:value-of select="$description"/></p></xsl:if>
</div>
</header>
<main class="wrap">
<section class="about" aria-labelledby="about_title">
<h2 id="about_title">这是一个订阅源（<xsl:value-of select="$format"/>）</h2>
<p>订阅后，不必逐一访问网站：有新信息发布时，您的阅读器会自动收到。</p>
<p>订阅方法：复制下面的地址，粘贴到您使用的订阅阅读器（RSS 阅读器）或支持订阅的应用中，选择“添加订阅”即可。</p>
<xsl:if test="$self"><code class="address"><xsl:value-of select="$self"/></code></xsl:if>
<xsl:if test="$home"><p><a href="{$home}">访问网站，浏览全部信息 ›</a></p></xsl:if>
</section>
<h2 class="latest">最新信息</h2>
<ul class="items">
<xsl:for-each select="/rss/channel/item | /atom:feed/atom:entry">
<li class="item">
<h3><a href="{link | atom:link[@rel='alternate']/@href}"><xsl:value-of select="title | atom:title"/></a></h3>
<p class="meta">
<span>
<xsl:choose>
<xsl:when test="pubDate"><xsl:call-template name="rss-date"><xsl:with-param name="date" select="pubDate"/></xsl:call-template></xsl:when>
<xsl:otherwise><xsl:value-of select="substring(atom:published | atom:updated[not(../atom:published)], 1, 10)"/></xsl:otherwise>
</xsl:choose>
</span>
<xsl:if test="author | atom:author/atom:name"><span><xsl:value-of select="author | atom:author/atom:name"/></span></xsl:if>
</p>
<xsl:if test="description | atom:summary"><p class="summary"><xsl:call-template name="html-text"><xsl:with-param name="s" select="string(description | atom:summary)"/></xsl:call-template></p></xsl:if>
</li>
</xsl:for-each>
</ul>
</main>
<footer class="wrap">本页是订阅源在浏览器中的显示效果；订阅阅读器读取的是同一地址的原始内容。</footer>
</body>
</html>
</xsl:template>

<!-- html-text shows the summary, which the feed carries as HTML (escaped
     text: a &lt; b), as the text it stands for (a < b). It decodes the
     escapes one at a time, from left to right, into text that the page
     escapes again, so that markup in a summary is shown, never rendered
     (no disable-output-escaping: the content is untrusted). One level of
     recursion per escape: libxslt allows thousands. -->
<xsl:template name="html-text">
<xsl:param name="s"/>
<xsl:choose>
<xsl:when test="contains($s, '&amp;')">
<xsl:value-of select="substring-before($s, '&amp;')"/>
<xsl:variable name="rest" select="substring-after($s, '&amp;')"/>
<xsl:variable name="name" select="substring-before($rest, ';')"/>
<xsl:variable name="char">
<xsl:choose>
<xsl:when test="$name = 'lt' or $name = '#60'">&lt;</xsl:when>
<xsl:when test="$name = 'gt' or $name = '#62'">&gt;</xsl:when>
<xsl:when test="$name = 'amp' or $name = '#38'">&amp;</xsl:when>
<xsl:when test="$name = 'quot' or $name = '#34'">"</xsl:when>
<xsl:when test="$name = 'apos' or $name = '#39'">'</xsl:when>
</xsl:choose>
</xsl:variable>
<xsl:choose>
<xsl:when test="string($char) != ''">
<xsl:value-of select="$char"/>
<xsl:call-template name="html-text"><xsl:with-param name="s" select="substring-after($rest, ';')"/></xsl:call-template>
</xsl:when>
<xsl:otherwise>
<xsl:text>&amp;</xsl:text>
<xsl:call-template name="html-text"><xsl:with-param name="s" select="$rest"/></xsl:call-template>
</xsl:otherwise>
</xsl:choose>
</xsl:when>
<xsl:otherwise><xsl:value-of select="$s"/></xsl:otherwise>
</xsl:choose>
</xsl:template>

<!-- rss-date turns an RSS date, "Fri, 12 Jan 2024 09:30:00 +0800", into
     2024-01-12, as the site's listings show dates. -->
<xsl:template name="rss-date">
<xsl:param name="date"/>
<xsl:variable name="rest" select="substring-after($date, ', ')"/>
<xsl:variable name="day" select="substring-before($rest, ' ')"/>
<xsl:variable name="mon" select="substring(substring-after($rest, ' '), 1, 3)"/>
<xsl:variable name="year" select="substring(substring-after($rest, ' '), 5, 4)"/>
<xsl:variable name="months" select="'JanFebMarAprMayJunJulAugSepOctNovDec'"/>
<xsl:choose>
<xsl:when test="$day and string-length($mon) = 3 and contains($months, $mon)">
<xsl:value-of select="concat($year, '-', format-number(string-length(substring-before($months, $mon)) div 3 + 1, '00'), '-', format-number($day, '00'))"/>
</xsl:when>
<xsl:otherwise><xsl:value-of select="$date"/></xsl:otherwise>
</xsl:choose>
</xsl:template>

</xsl:stylesheet>
