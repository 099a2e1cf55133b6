-- Used by typst-pdf.py: pandoc's Typst writer drops an image's description, so images are written with
-- Typst's own alt parameter (the text a screen reader announces), at the size the Word document gave them.
function Image(img)
  local alt = pandoc.utils.stringify(img.caption)
  local args = { '"' .. img.src:gsub("\\", "/"):gsub('"', '\\"') .. '"' }
  for _, key in ipairs({ "width", "height" }) do
    if img.attributes[key] then table.insert(args, key .. ": " .. img.attributes[key]) end
  end
  if alt ~= "" then
    table.insert(args, 'alt: "' .. alt:gsub("\\", "\\\\"):gsub('"', '\\"') .. '"')
  end
  return pandoc.RawInline("typst", "#box(image(" .. table.concat(args, ", ") .. "))")
end

-- Word's contents field comes through as a heading with nothing under it; Typst writes its own outline.
local dropped = false
function Header(h)
  if not dropped and pandoc.utils.stringify(h.content) == "Contents" then
    dropped = true
    return {}
  end
end
