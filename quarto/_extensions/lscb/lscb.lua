-- lscb.lua: how the engine's section output becomes part of a Quarto page (runs at pre-ast, before Quarto
-- parses cross-reference floats). plugins/render/quarto/display.py writes each block of a section twice, as raw
-- HTML and as markdown (a .lscb-md div); this filter
--   1. moves the blocks that come before a labelled cell's table (tbl-) or chart (fig-) out of the cell's
--      output, and those after it behind the cell, so Quarto's caption and label attach to the table or
--      chart itself, and drops the block's own caption there (the cell's tbl-cap/fig-cap replaces it, as in
--      the built-in renderer); a labelled cell whose section has no table or chart gets no caption at all;
--   2. keeps the HTML for HTML formats and the markdown for Word and Typst;
--   3. shifts the blocks' headings to one level below the heading the cell sits under;
--   4. adds what the report's plugins add to the page (a draft's banner, the requirements appendix).

local function has_class(el, cls)
  return el and el.t == "Div" and el.classes:includes(cls)
end

local function is_html()
  return quarto.doc.is_format("html")
end

-- 1. captions attach to the object they describe ------------------------------------------------------

local TARGET = { tbl = "lscb-table", fig = "lscb-chart" }

local function attr_escape(s)
  return (s:gsub("&", "&amp;"):gsub('"', "&quot;"):gsub("<", "&lt;"))
end

local function drop_own_caption(block, kind, cap)
  local out = pandoc.List()
  for _, el in ipairs(block.content) do
    if el.t == "RawBlock" and el.format == "html" then
      if kind == "tbl" then
        el.text = el.text:gsub("<caption>.-</caption>", "", 1)
        if cap then   -- the scrolling box is named by the caption the cell gives
          el.text = el.text:gsub('aria%-label="[^"]*"', function() return 'aria-label="' .. attr_escape(cap) .. '"' end, 1)
        end
      else
        el.text = el.text:gsub("<figcaption>.-</figcaption>", "", 1)
      end
      out:insert(el)
    elseif has_class(el, "lscb-md") then
      local md = el.content
      if kind == "tbl" and md[1] and md[1].t == "Para" and #md[1].content == 1 and md[1].content[1].t == "Strong" then
        md:remove(1)            -- the table's own bold caption line
      elseif kind == "fig" and md[1] and md[1].t == "Figure" then
        -- the chart image without a caption of its own; its alt text stays
        local img = nil
        pandoc.walk_block(md[1], { Image = function(i) img = img or i end })
        if img then
          local alt = img.attributes["fig-alt"]
          if alt then
            img.caption = { pandoc.Str(alt) }
            img.attributes["fig-alt"] = nil
          end
          md[1] = pandoc.Plain({ img })
        end
      end
      out:insert(el)
    else
      out:insert(el)
    end
  end
  block.content = out
  return block
end

-- A tbl- label sits on the cell (#tbl-x .cell); a fig- label on the cell's output (#fig-x .cell-output-display
-- inside #cell-fig-x .cell). Either way the blocks before the labelled table or chart leave the output.
local function split_cell(cell)
  local cell_kind = cell.identifier:gsub("^cell%-", ""):match("^(%a+)%-")
  local content = pandoc.List()
  local changed, trail = false, nil
  for _, el in ipairs(cell.content) do
    local section = has_class(el, "cell-output-display") and el.content[1]
    local kind = cell_kind or el.identifier:match("^(%a+)%-")
    local target = kind and TARGET[kind]
    if target and not changed and has_class(section, "lscb-section") then
      local cap = el.attributes[kind .. "-cap"] or cell.attributes[kind .. "-cap"]
      local before, rest, after, found = pandoc.List(), pandoc.List(), pandoc.List(), false
      for _, block in ipairs(section.content) do
        if not found and has_class(block, target) then
          found = true
          rest:insert(drop_own_caption(block, kind, cap))
        elseif found then
          after:insert(block)
        else
          before:insert(block)
        end
      end
      if not found then
        -- no table (or chart) to caption: like the built-in renderer, show the section without one
        changed = true
        el.identifier = el.identifier:match("^%a+%-") and "" or el.identifier
        if cell_kind then cell.identifier = "" end
        el.attributes[kind .. "-cap"] = nil
        cell.attributes[kind .. "-cap"] = nil
      else
        changed = true
        section.content = rest
        if #before > 0 then
          local lead = section:clone()
          lead.content = before
          content:insert(pandoc.Div({ lead }, pandoc.Attr("", { "cell-output", "lscb-lead" })))
        end
        if #after > 0 then
          local tail = section:clone()
          tail.content = after
          trail = pandoc.Div({ tail }, pandoc.Attr("", { "cell-output", "lscb-trail" }))
        end
      end
    end
    content:insert(el)
  end
  if changed then
    cell.content = content
    -- what follows the table or chart comes after its float, outside the cell
    if trail then return { cell, trail } end
    return cell
  end
end

-- 2 and 3. one representation per format, headings below the cell's heading ----------------------------

local function shift_html(text, delta)
  if delta == 0 then return text end
  return (text:gsub("<(/?)h([1-6])([%s>])", function(slash, n, after)
    local level = math.max(2, math.min(6, tonumber(n) + delta))
    return "<" .. slash .. "h" .. level .. after
  end))
end

local function present_section(section, under)
  local base = tonumber(section.attributes["data-level"]) or 3
  local delta = (under + 1) - base
  local out = pandoc.List()
  for _, block in ipairs(section.content) do
    if has_class(block, "lscb-block") then
      for _, el in ipairs(block.content) do
        if is_html() and el.t == "RawBlock" then
          el.text = shift_html(el.text, delta)
          out:insert(el)
        elseif not is_html() and has_class(el, "lscb-md") then
          out:extend(pandoc.walk_block(el, {
            Header = function(h)
              h.level = math.max(2, math.min(6, h.level + delta))
              h.classes:insert("unnumbered")
              return h
            end,
            -- Word takes an image's description from its own text: the chart's alt text, not its caption
            Image = function(img)
              local alt = img.attributes["fig-alt"]
              if alt then
                img.caption = { pandoc.Str(alt) }
                img.attributes["fig-alt"] = nil
                return img
              end
            end,
          }).content)
        end
      end
    else
      out:insert(block)
    end
  end
  section.content = out
  return section
end

-- walk the blocks in document order, remembering the level of the last heading outside a section
local function walk(blocks, state)
  for i, el in ipairs(blocks) do
    if el.t == "Header" then
      state.level = el.level
    elseif has_class(el, "lscb-section") then
      blocks[i] = present_section(el, state.level)
    elseif el.t == "Div" then
      walk(el.content, state)
    end
  end
end

-- 4. what the report's plugins add to the page ---------------------------------------------------------
-- The pre-render script (report-page.py, plugins/render/quarto/hooks.py) ran the lscb_report_page hooks and
-- left what they add, by where, in .quarto/lscb-report.json: the head and the start of the body go into every
-- HTML page (as the built-in page has them, a draft's banner is on every page) and at the top of the Word
-- document; the requirements appendix and what the hooks add after the chapters go after the last chapter.

local function read_additions()
  local dir = quarto.project.directory
  if not dir then return nil end
  local path = pandoc.path.join({ dir, ".quarto", "lscb-report.json" })
  local file = io.open(path, "r")
  if not file then
    quarto.log.warning("lscb: " .. path .. " is missing, so the report's plugins (a draft's banner, the "
      .. "requirements appendix) are not in this render: the book's _quarto.yml needs "
      .. "`pre-render: _extensions/lscb/report-page.py`")
    return nil
  end
  local text = file:read("a")
  file:close()
  return quarto.json.decode(text)
end

-- HTML read into the document for Word: headings one level up (Quarto's chapters are level 1 where the
-- built-in page's are 2), and nothing marked aria-hidden (screen decoration such as the draft's watermark)
local function from_html(text)
  if not text or text == "" then return pandoc.List() end
  local hidden = function(el)
    if el.attributes["aria-hidden"] == "true" then return {} end
  end
  return pandoc.read(text, "html").blocks:walk({
    Div = hidden,
    Span = hidden,
    Header = function(h)
      h.level = math.max(1, h.level - 1)
      return h
    end,
  })
end

local function add_report_page(doc)
  local add = read_additions()
  if not add then return doc end
  if is_html() then
    if add.head ~= "" then quarto.doc.include_text("in-header", add.head) end
    if add.top ~= "" then quarto.doc.include_text("before-body", add.top) end
    local input = quarto.doc.input_file or ""
    if add.last == "" or pandoc.path.filename(input) ~= add.last then return doc end
    if add.appendix.title then
      doc.blocks:insert(pandoc.Header(2, add.appendix.title, pandoc.Attr(add.appendix.id, { "unnumbered" })))
      doc.blocks:insert(pandoc.RawBlock("html", add.appendix.html))
    end
    if add["end"] ~= "" then doc.blocks:insert(pandoc.RawBlock("html", add["end"])) end
  else
    local top = from_html(add.top)
    for i = #top, 1, -1 do doc.blocks:insert(1, top[i]) end
    if add.appendix.title then
      doc.blocks:insert(pandoc.Header(1, add.appendix.title, pandoc.Attr(add.appendix.id, { "unnumbered" })))
      doc.blocks:extend(from_html(add.appendix.html))
    end
    doc.blocks:extend(from_html(add["end"]))
  end
  return doc
end

function Pandoc(doc)
  doc = doc:walk({ Div = function(div)
    if div.classes:includes("cell") then return split_cell(div) end
  end })
  walk(doc.blocks, { level = 1 })
  return add_report_page(doc)
end
