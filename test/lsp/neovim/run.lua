-- Drives Neovim's built-in LSP client against `secure-config-review lsp` (test/unit/lsp-neovim.test.ts):
-- opens SCR_FILE, waits for diagnostics, hovers the finding, asks for the code actions of its line, applies the
-- one whose title starts with SCR_ACTION, writes the buffer, waits for the re-lint and writes what it saw to
-- SCR_OUT as JSON. Any error is written there too; Neovim always quits.
local out = os.getenv('SCR_OUT')
local file = os.getenv('SCR_FILE')
local rule = os.getenv('SCR_RULE')
local wanted = os.getenv('SCR_ACTION')
local wait_ms = 20000

local function diagnostics(bufnr)
  local seen = {}
  for _, item in ipairs(vim.diagnostic.get(bufnr)) do
    local code = item.code or (item.user_data and item.user_data.lsp and item.user_data.lsp.code)
    table.insert(seen, { line = item.lnum, col = item.col, code = code, source = item.source, message = item.message })
  end
  return seen
end

local function has_rule(bufnr)
  for _, item in ipairs(diagnostics(bufnr)) do
    if item.code == rule then return true end
  end
  return false
end

-- The diagnostics under a line in the protocol's shape, as the client itself sends them with a code action request.
local function line_diagnostics(bufnr, line)
  if vim.lsp.diagnostic.get_line_diagnostics then return vim.lsp.diagnostic.get_line_diagnostics(bufnr, line) end
  local items = {}
  for _, item in ipairs(vim.diagnostic.get(bufnr, { lnum = line })) do
    table.insert(items, item.user_data.lsp)
  end
  return items
end

local result = { nvim = tostring(vim.version().major) .. '.' .. tostring(vim.version().minor) .. '.' .. tostring(vim.version().patch) }

local ok, problem = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  local config = {
    name = 'secure-config-review',
    cmd = { os.getenv('SCR_NODE'), os.getenv('SCR_CLI'), 'lsp' },
    root_dir = vim.fn.fnamemodify(file, ':p:h'),
  }
  local client_id
  if vim.lsp.start then
    client_id = vim.lsp.start(config) -- Neovim 0.8 and later
  else
    client_id = vim.lsp.start_client(config) -- Neovim 0.7 (Debian 12)
    vim.lsp.buf_attach_client(bufnr, client_id)
  end
  result.started = client_id ~= nil
  if not vim.wait(wait_ms, function() return has_rule(bufnr) end, 50) then error('no ' .. rule .. ' diagnostic within ' .. wait_ms .. ' ms') end
  result.before = diagnostics(bufnr)

  local target
  for _, item in ipairs(vim.diagnostic.get(bufnr)) do
    local code = item.code or (item.user_data and item.user_data.lsp and item.user_data.lsp.code)
    if code == rule then target = item end
  end
  local uri = vim.uri_from_bufnr(bufnr)
  local position = { line = target.lnum, character = target.col }
  local hover = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', { textDocument = { uri = uri }, position = position }, wait_ms)
  for _, answer in pairs(hover or {}) do
    if answer.result then result.hover = answer.result.contents.value end
  end

  local params = {
    textDocument = { uri = uri },
    range = { start = position, ['end'] = { line = target.end_lnum, character = target.end_col } },
    context = { diagnostics = line_diagnostics(bufnr, target.lnum) },
  }
  local answers = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, wait_ms)
  local chosen
  result.actions = {}
  for _, answer in pairs(answers or {}) do
    for _, action in ipairs(answer.result or {}) do
      table.insert(result.actions, action.title)
      if action.title:sub(1, #wanted) == wanted then chosen = action end
    end
  end
  if not chosen then error('no code action starting with ' .. wanted) end
  local client = vim.lsp.get_client_by_id(client_id)
  vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding or 'utf-16')
  vim.cmd('write')
  if not vim.wait(wait_ms, function() return not has_rule(bufnr) end, 50) then error('the finding stayed after the code action') end
  result.after = diagnostics(bufnr)
  vim.lsp.stop_client(client_id)
  vim.wait(5000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 50)
end)

if not ok then result.error = tostring(problem) end
local handle = io.open(out, 'w')
handle:write(vim.fn.json_encode(result))
handle:close()
vim.cmd('qa!')
