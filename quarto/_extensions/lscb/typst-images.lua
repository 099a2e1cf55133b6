-- Used by typst-pdf.py: pandoc's Typst writer drops an image's description, so images are written with
-- Typst's own alt parameter, at the size the Word document gave them. Typst 0.13 writes untagged PDFs (the
-- alt parameter does not reach the file), so the description is also printed under the image, where a
-- reader of the PDF's text meets it in reading order.
function Image(img)
  local alt = pandoc.utils.stringify(img.caption)
  local args = { '"' .. img.src:gsub("\\", "/"):gsub('"', '\\"') .. '"' }
  for _, key in ipairs({ "width", "height" }) do
    if img.attributes[key] then table.insert(args, key .. ": " .. img.attributes[key]) end
  end
  if alt ~= "" then
    table.insert(args, 'alt: "' .. alt:gsub("\\", "\\\\"):gsub('"', '\\"') .. '"')
  end
  local image = pandoc.RawInline("typst", "#box(image(" .. table.concat(args, ", ") .. "))")
  if alt == "" then return image end
  return { image, pandoc.LineBreak(), pandoc.Emph({ pandoc.Str("Description: " .. alt) }) }
end

-- Word's contents field comes through as a heading with nothing under it; Typst writes its own outline.
local dropped = false
function Header(h)
  if not dropped and pandoc.utils.stringify(h.content) == "Contents" then
    dropped = true
    return {}
  end
end

-- Word tables come through without column alignment (Typst would centre them): text columns start on the
-- left, columns of figures line up on the right, as in the built-in report; columns take the width they need.
local FIGURE = "^[<>~]?%s*[-+]?%s*%d[%d,]*%.?%d*%s*[%%pkm]?$"   -- after £ and − are taken out (UTF-8)

function Table(tbl)
  local columns = #tbl.colspecs
  for col = 1, columns do
    local figures, filled = 0, 0
    for _, body in ipairs(tbl.bodies) do
      for _, row in ipairs(body.body) do
        local cell = row.cells[col]
        local text = cell and pandoc.utils.stringify(cell.contents) or ""
        if text ~= "" then
          filled = filled + 1
          if text:gsub("£", ""):gsub("−", "-"):match(FIGURE) then figures = figures + 1 end
        end
      end
    end
    local right = col > 1 and filled > 0 and figures * 2 >= filled
    tbl.colspecs[col] = { right and pandoc.AlignRight or pandoc.AlignLeft, pandoc.ColWidthDefault }
  end
  -- the cells' own alignment (from Word's paragraphs) would override the column's
  local function reset(rows)
    for _, row in ipairs(rows) do
      for _, cell in ipairs(row.cells) do cell.alignment = pandoc.AlignDefault end
    end
  end
  reset(tbl.head.rows)
  for _, body in ipairs(tbl.bodies) do reset(body.body) end
  return tbl
end
