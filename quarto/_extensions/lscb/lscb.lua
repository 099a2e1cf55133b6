-- lscb.lua: how the engine's section output becomes part of a Quarto page (runs at pre-ast, before Quarto
-- parses cross-reference floats). plugins/render/quarto/display.py writes each block of a section twice, as raw
-- HTML and as markdown (a .lscb-md div); this filter
--   1. moves the blocks that come before a labelled cell's table (tbl-) or chart (fig-) out of the cell's
--      output, and those after it behind the cell, so Quarto's caption and label attach to the table or
--      chart itself, and drops the block's own caption there (the cell's tbl-cap/fig-cap replaces it, as in
--      the built-in renderer); a labelled cell whose section has no table or chart gets no caption at all;
--   2. keeps the HTML for HTML formats and the markdown for Word and Typst;
--   3. shifts the blocks' headings to one level below the heading the cell sits under.

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

function Pandoc(doc)
  doc = doc:walk({ Div = function(div)
    if div.classes:includes("cell") then return split_cell(div) end
  end })
  walk(doc.blocks, { level = 1 })
  return doc
end
